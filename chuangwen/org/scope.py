"""The one scoping helper: what a user may see, decided here and nowhere else.

Imported as `chuangwen.accounts.scope` everywhere; it lives in org (the unit tree it filters
by) so that org's own pages use it without importing accounts, which sits above org in the
layers (.importlinter). It reads a user's memberships through the user object.

Every page and API route fetches objects through `scoped()` or `get_scoped_or_404()`.
Office admins and leaders see the whole campaign territory; every other role sees the units
it holds a membership in and the units below them, and nothing of a sibling unit.

A model says how it reaches a unit with a `scope_field` class attribute: "" for the unit
itself, a lookup such as "unit" or "road__unit", or a tuple of lookups any of which may match
(a road is visible to the street it lies in and to its road-chief unit). A lookup written
"^field" also matches when the unit is an *ancestor* of one of the user's units: a campaign
run for the district is visible to a community inside it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any, TypeVar

from django.db import models
from django.db.models import Q
from django.http import Http404

from chuangwen.core.roles import CAMPAIGN_WIDE_ROLES
from chuangwen.org.models import Unit

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class Scope:
    """The reach of one user: everything, or the subtrees under some unit paths."""

    everything: bool
    paths: tuple[str, ...]

    def unit_filter(self) -> Q:
        """A Q over Unit selecting the units in reach (a matching nothing Q when there are none)."""
        if self.everything:
            return Q()
        if not self.paths:
            return Q(pk__in=[])
        return reduce(or_, (Q(path__startswith=path) for path in self.paths))

    def units(self) -> models.QuerySet[Unit]:
        return Unit.objects.filter(self.unit_filter())

    def ancestor_ids(self) -> set[int]:
        """Ids of the units on the paths from the root down to each of the user's units."""
        return {int(part) for path in self.paths for part in path.strip("/").split("/") if part}

    def covers(self, unit: Unit | None) -> bool:
        if self.everything:
            return True
        return unit is not None and any(unit.path.startswith(path) for path in self.paths)


NOTHING = Scope(everything=False, paths=())


def scope_for(user: Any, roles: Iterable[str] | None = None) -> Scope:
    """The user's scope, computed once and cached on the user object for the request.

    With `roles`, only the memberships in those roles count: the units a unit admin
    administers are `scope_for(user, [Role.UNIT_ADMIN])`, not every unit it is a liaison of.
    """
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOTHING
    key = None if roles is None else frozenset(roles)
    cache = user.__dict__.setdefault("_scope_cache_by_roles", {})
    if key in cache:
        return cache[key]
    if user.is_superuser:
        scope = Scope(everything=True, paths=())
    else:
        rows = (
            user.membership_rows()
            if hasattr(user, "membership_rows")
            else list(user.memberships.values_list("role", "unit__path"))
        )
        if key is not None:
            rows = [(role, path) for role, path in rows if role in key]
        if any(role in CAMPAIGN_WIDE_ROLES for role, _path in rows):
            scope = Scope(everything=True, paths=())
        else:
            paths = sorted({path for _role, path in rows})
            # Drop paths already covered by an ancestor path: fewer OR branches in every query.
            kept = tuple(p for p in paths if not any(p != q and p.startswith(q) for q in paths))
            scope = Scope(everything=False, paths=kept)
    cache[key] = scope
    return scope


def _fields_of(model: type[models.Model]) -> tuple[str, ...]:
    field = getattr(model, "scope_field", None)
    if field is None:
        raise TypeError(f"{model.__name__} has no scope_field; the scoping helper cannot restrict it")
    return (field,) if isinstance(field, str) else tuple(field)


def scoped(queryset: models.QuerySet[M], user: Any, roles: Iterable[str] | None = None) -> models.QuerySet[M]:
    """The queryset limited to what the user may see (through memberships in `roles`, if given)."""
    scope = scope_for(user, roles)
    if scope.everything:
        return queryset
    if not scope.paths:
        return queryset.none()
    units = scope.units().values("pk")
    conditions = []
    for field in _fields_of(queryset.model):
        if field.startswith("^"):
            field = field[1:]
            conditions.append(Q(**{f"{field}__in": scope.ancestor_ids()}))
        conditions.append(Q(pk__in=units) if field == "" else Q(**{f"{field}__in": units}))
    # Scope fields are forward foreign keys, so the filter cannot duplicate rows (no DISTINCT).
    return queryset.filter(reduce(or_, conditions))


def get_scoped_or_404(
    queryset: models.QuerySet[M], user: Any, *, roles: Iterable[str] | None = None, **lookup: Any
) -> M:
    """One object the user may see, or 404 (never 403: a sibling must not learn it exists)."""
    try:
        return scoped(queryset, user, roles).get(**lookup)
    except queryset.model.DoesNotExist as exc:
        raise Http404 from exc


def unit_choices(user: Any) -> models.QuerySet[Unit]:
    """Units the user may pick in a form (e.g. as the owner of something new)."""
    return scoped(Unit.objects.filter(is_active=True), user)
