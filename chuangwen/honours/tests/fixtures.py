"""Test data of honours: a civilized-unit title of community A and a selection of 身边好人 with
community A's nomination (with a photo). Built once per world, on demand."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from chuangwen.honours import services
from chuangwen.honours.models import Honour, Kind, Level, Nomination, Selection
from chuangwen.shops.tests.fixtures import upload


@dataclass
class HonourWorld:
    honour: Honour
    selection: Selection
    nomination: Nomination


STORY = "多年来坚持义务清扫社区道路，帮助孤寡老人，热心公益，邻里称赞。"


def honours(world: Any) -> HonourWorld:
    cached = world.__dict__.get("_honours")
    if cached is not None:
        return cached
    year = timezone.localdate().year
    honour = services.record_honour(
        world.community_a, Kind.CIVILIZED_UNIT, Level.CITY, year - 1, world.office
    )
    selection = services.open_selection(
        world.campaign,
        Kind.GOOD_PERSON,
        year,
        "2026年度身边好人评选",
        timezone.localdate() + dt.timedelta(days=10),
        world.office,
    )
    nomination = services.nominate(
        selection, services.NominationInput(world.community_a, "王热心", STORY), world.office, [upload()]
    )
    made = HonourWorld(honour, selection, nomination)
    world.__dict__["_honours"] = made
    return made
