"""Test data for the dashboard: problems, points, a survey and a material requirement spread
over street A (community A) and street B, and the refreshed snapshot."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from chuangwen.dashboard.models import Snapshot
from chuangwen.dashboard.services import refresh
from chuangwen.problems import tally
from chuangwen.problems.models import Problem, Source, Status
from chuangwen.problems.tests.factories import category


def problem(unit: Any, status: str, deadline_hours: float, **extra: Any) -> Problem:
    """A problem reported an hour before its deadline shifted by `deadline_hours` from now."""
    now = timezone.now()
    values = {
        "category": category(),
        "description": "占道经营",
        "source": Source.PATROL,
        "status": status,
        "unit": unit,
        "reported_at": now - dt.timedelta(hours=2),
        "deadline": now + dt.timedelta(hours=deadline_hours),
    }
    if status == Status.CLOSED:
        values.update(closed_at=now - dt.timedelta(hours=1), on_time=deadline_hours > -1)
    values.update(extra)
    return Problem.objects.create(**values)


def problems(world: Any) -> None:
    """Street A: two closed on time, one overdue, one not yet due, one duplicate (not counted).
    Street B: one overdue. Then the closed-problem tally, as the services would have kept it."""
    problem(world.community_a, Status.CLOSED, 5)
    problem(world.community_a, Status.CLOSED, 5)
    problem(world.community_a, Status.RECTIFYING, -1)
    problem(world.community_a, Status.ACCEPTED, 24)
    problem(world.community_a, Status.DUPLICATE, -1)
    problem(world.community_b, Status.DISPATCHED, -3)
    tally.rebuild()


def snapshot_of(world: Any, unit: Any = None) -> Snapshot:
    """The campaign refreshed once per world; the slice of `unit` (None: the whole campaign)."""
    if "_dashboard" not in world.__dict__:
        refresh(world.campaign)
        world.__dict__["_dashboard"] = True
    return Snapshot.objects.get(campaign=world.campaign, unit=unit)
