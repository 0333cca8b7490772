"""Test data for meetings: a meeting inviting street A, an indicator, a problem category."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from chuangwen.indicators.models import EvaluationSystem, Indicator, Method
from chuangwen.meetings import services
from chuangwen.meetings.models import DecisionKind, Meeting, MeetingKind


def indicator(world: Any) -> Indicator:
    cached = world.__dict__.get("_meeting_indicator")
    if cached is None:
        system = EvaluationSystem.objects.create(name="测评体系", edition="2023年版", campaign=world.campaign)
        cached = Indicator.objects.create(
            system=system, level=3, code="Ⅲ-5", name="市容环境", methods=[Method.FIELD], position=5
        )
        world.__dict__["_meeting_indicator"] = cached
    return cached


def meeting(world: Any, held_on: dt.date | None = None, units: list | None = None, **extra: Any) -> Meeting:
    fields = {
        "campaign": world.campaign,
        "kind": MeetingKind.DISPATCH,
        "title": "第12次创建工作调度会",
        "held_on": held_on or timezone.localdate(),
        "chair": "指挥长",
        "place": "区政府三楼会议室",
        "units": units if units is not None else [world.street_a],
    }
    fields.update(extra)
    return services.convene(world.office, **fields)


def matrix_meeting(world: Any) -> Meeting:
    """A meeting inviting street A with one action item addressed to street A, made once per world."""
    cached = world.__dict__.get("_matrix_meeting")
    if cached is None:
        cached = meeting(world)
        services.add_decision(
            cached,
            world.office,
            text="清理松林路沿线占道经营",
            unit=world.street_a,
            deadline=timezone.localdate() + dt.timedelta(days=7),
            kind=DecisionKind.ACTION,
        )
        world.__dict__["_matrix_meeting"] = cached
    return cached


def matrix_decision(world: Any) -> Any:
    return matrix_meeting(world).decisions.get(number=1)
