"""Reads over many rows: what an inspector may open, and a round's summary by unit and type."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Count, Q, Sum

from chuangwen.accounts.scope import scope_for, scoped
from chuangwen.inspections.models import Observation, Round, RoundStatus, TeamAssignment, VisitStatus


def points_of_my_rounds(user: Any) -> models.QuerySet | None:
    """Point ids of open rounds assigned to a team in the user's scope (the visibility provider)."""
    if not scope_for(user).paths:
        return None
    return scoped(TeamAssignment.objects.filter(round__status=RoundStatus.OPEN), user).values("point_id")


@dataclass
class SummaryRow:
    key: str
    points: int
    done: int
    score: float
    max_score: float
    failed: int

    @property
    def rate(self) -> float | None:
        return round(100.0 * self.score / self.max_score, 1) if self.max_score else None


def _rows(qs: models.QuerySet, field: str) -> list[SummaryRow]:
    rows = (
        qs.values(field)
        .annotate(
            n=Count("id"),
            done=Count("id", filter=Q(status=VisitStatus.DONE)),
            s=Sum("score"),
            m=Sum("max_score"),
            f=Sum("failed_count"),
        )
        .order_by(field)
    )
    out = [
        SummaryRow(r[field] or "", r["n"], r["done"], r["s"] or 0.0, r["m"] or 0.0, r["f"] or 0) for r in rows
    ]
    return sorted(out, key=lambda r: (r.rate is None, r.rate if r.rate is not None else 0, r.key))


def summary(round_: Round, user: Any) -> dict[str, Any]:
    """Totals, and rows by responsible unit and by point type (worst first), of what the user sees."""
    qs = scoped(round_.round_points.all(), user)
    total = qs.aggregate(
        n=Count("id"),
        done=Count("id", filter=Q(status=VisitStatus.DONE)),
        s=Sum("score"),
        m=Sum("max_score"),
        f=Sum("failed_count"),
    )
    overall = SummaryRow("", total["n"], total["done"], total["s"] or 0.0, total["m"] or 0.0, total["f"] or 0)
    observations = scoped(Observation.objects.filter(round_point__round=round_), user)
    worst_items = (
        observations.filter(failed=True)
        .values("item__point_type__name", "item__number", "item__text")
        .annotate(n=Count("id"))
        .order_by("-n", "item__point_type__name", "item__number")[:10]
    )
    return {
        "overall": overall,
        "observations": observations.exclude(result="").count(),
        "passed_points": qs.filter(score_rate__gte=round_.pass_rate).count(),
        "by_unit": _rows(qs, "point__unit__name"),
        "by_type": _rows(qs, "point__point_type__name"),
        "worst_items": list(worst_items),
    }
