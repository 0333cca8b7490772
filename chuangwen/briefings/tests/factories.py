"""Test data for reports: one daily report of yesterday for the matrix."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from chuangwen.briefings import services
from chuangwen.briefings.models import Briefing, BriefingKind


def matrix_briefing(world: Any) -> Briefing:
    cached = world.__dict__.get("_matrix_briefing")
    if cached is None:
        day = timezone.localdate() - dt.timedelta(days=1)
        cached, _created = services.generate(world.campaign, BriefingKind.DAILY, day, actor=world.office)
        world.__dict__["_matrix_briefing"] = cached
    return cached
