"""Test data of the monthly assessment: overdue and reworked problems of street A, a published
previous month, a manual card and a summons. Built once per world, on demand."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from chuangwen.assessments import services
from chuangwen.assessments.models import AssessmentMonth, Card, Summons, UnitAssessment
from chuangwen.problems.models import EventKind, Problem, ProblemCategory, ProblemEvent, Source, Status
from chuangwen.problems.seed import load_categories


def first_of_previous_month(today: dt.date | None = None) -> dt.date:
    today = today or timezone.localdate()
    return (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def category() -> ProblemCategory:
    if not ProblemCategory.objects.exists():
        load_categories(ProblemCategory)
    return ProblemCategory.objects.exclude(parent=None).first()


def problem(unit: Any, **fields: Any) -> Problem:
    values = {
        "category": category(),
        "description": "占道经营",
        "source": Source.INSPECTION,
        "unit": unit,
        "status": Status.DISPATCHED,
    }
    values.update(fields)
    return Problem.objects.create(**values)


def rework(p: Problem, when: dt.datetime) -> ProblemEvent:
    return ProblemEvent.objects.create(
        problem=p, at=when, kind=EventKind.REJECTED, from_status="submitted", to_status="rectifying"
    )


@dataclass
class Accountability:
    month: AssessmentMonth
    result_a: UnitAssessment
    overdue: Problem
    card: Card
    summons: Summons


def accountability(world: Any) -> Accountability:
    cached = world.__dict__.get("_accountability")
    if cached is not None:
        return cached
    first = first_of_previous_month()
    overdue = problem(world.street_a, deadline=at(first + dt.timedelta(days=3)))
    month = services.compute_month(world.campaign, first, world.office)
    month = services.publish_month(month, world.office)
    card = Card.objects.create(
        campaign=world.campaign,
        unit=world.street_a,
        color="yellow",
        reason="负面清单事件",
        issued_by=world.office,
    )
    summons = services.save_summons(
        world.campaign,
        {
            "unit": world.street_a,
            "held_on": timezone.localdate(),
            "summoned": "松林街道办事处主任",
            "summoned_by": "区创建办主任",
            "reason": "整改超期",
            "outcome": "",
            "problems": [overdue],
            "cards": [card],
        },
        world.office,
    )
    made = Accountability(month, month.results.get(unit=world.street_a), overdue, card, summons)
    world.__dict__["_accountability"] = made
    return made
