"""Keeping ProblemTally: closed problems per responsible unit and month reported."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from chuangwen.problems.models import Problem, ProblemTally, Status


def month_of(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date().replace(day=1)


def add_closed(problem: Problem) -> None:
    """Count a problem that has just been closed (inside its transaction)."""
    key = {"unit_id": problem.unit_id, "month": month_of(problem.reported_at)}
    increments = {
        "closed": F("closed") + 1,
        "on_time": F("on_time") + (1 if problem.on_time else 0),
        "rework": F("rework") + problem.rework_count,
        "reworked": F("reworked") + (1 if problem.rework_count else 0),
    }
    if ProblemTally.objects.filter(**key).update(**increments):
        return
    try:
        with transaction.atomic():
            ProblemTally.objects.create(
                **key,
                closed=1,
                on_time=1 if problem.on_time else 0,
                rework=problem.rework_count,
                reworked=1 if problem.rework_count else 0,
            )
    except IntegrityError:  # another closing created the row first
        ProblemTally.objects.filter(**key).update(**increments)


@transaction.atomic
def rebuild() -> int:
    """Recompute every tally row from the closed problems; returns the number of rows."""
    ProblemTally.objects.all().delete()
    rows = (
        Problem.objects.filter(status=Status.CLOSED, unit__isnull=False)
        .annotate(month=TruncMonth("reported_at"))
        .order_by()
        .values("unit_id", "month")
        .annotate(
            closed=Count("id"),
            on_time=Count("id", filter=Q(on_time=True)),
            rework=Sum("rework_count"),
            reworked=Count("id", filter=Q(rework_count__gt=0)),
        )
    )
    tallies = [
        ProblemTally(
            unit_id=r["unit_id"],
            month=timezone.localtime(r["month"]).date()
            if isinstance(r["month"], dt.datetime)
            else r["month"],
            closed=r["closed"],
            on_time=r["on_time"],
            rework=r["rework"] or 0,
            reworked=r["reworked"],
        )
        for r in rows
    ]
    ProblemTally.objects.bulk_create(tallies, batch_size=2000)
    return len(tallies)
