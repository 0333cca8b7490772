"""Queries of fieldwork: where a user may collect for a round, and how far each quota is."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count

from chuangwen.accounts.models import Role
from chuangwen.accounts.scope import Scope, scope_for
from chuangwen.org.models import Unit
from chuangwen.surveys.models import Assignment, Quota, Response, ResponseStatus, Round


def collecting_scope(round_: Round, user: Any) -> Scope:
    """Where the user may collect for the round: everywhere for the office; for an enumerator
    the areas assigned in this round and the units where they hold the enumerator role."""
    if user.has_role(Role.OFFICE_ADMIN):
        return Scope(everything=True, paths=())
    own = scope_for(user, (Role.ENUMERATOR,))
    assigned = Assignment.objects.filter(round=round_, enumerator=user).values_list("unit__path", flat=True)
    return Scope(everything=own.everything, paths=tuple(sorted(set(own.paths) | set(assigned))))


def may_collect_in(round_: Round, user: Any, unit: Unit) -> bool:
    """collecting_scope(...).covers(unit), without the assignment query when the user's own
    enumerator units already cover it (the usual case, on every submission)."""
    if user.has_role(Role.OFFICE_ADMIN) or scope_for(user, (Role.ENUMERATOR,)).covers(unit):
        return True
    return collecting_scope(round_, user).covers(unit)


@dataclass
class QuotaProgress:
    quota: Quota
    done: int

    @property
    def remaining(self) -> int:
        return max(self.quota.target - self.done, 0)

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.done / self.quota.target)) if self.quota.target else 100


def quota_progress(round_: Round, quotas: Any) -> list[QuotaProgress]:
    """Complete interviews counted against each quota: one GROUP BY over the round's responses,
    then each quota sums the groups in its area's subtree with its sex and age."""
    groups: dict[str, list[tuple[str, int | None, int]]] = {}
    rows = (
        Response.objects.filter(round=round_, status=ResponseStatus.COMPLETE)
        .values_list("unit__path", "sex", "age")
        .annotate(n=Count("id"))
        .order_by()
    )
    for path, sex, age, n in rows:
        groups.setdefault(path, []).append((sex, age, n))
    result = []
    for quota in quotas:
        done = sum(
            n
            for path, cells in groups.items()
            if path.startswith(quota.unit.path)
            for sex, age, n in cells
            if quota.matches(sex, age)
        )
        result.append(QuotaProgress(quota, done))
    return result
