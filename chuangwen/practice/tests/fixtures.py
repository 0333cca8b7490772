"""Test data of practice ledgers: a 新时代文明实践站 of community A with one entry, a school of
community B, and a road (no ledger). Built once per world."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from chuangwen.points.models import Point, PointType
from chuangwen.practice import services
from chuangwen.practice.models import LedgerEntry


@dataclass
class PracticeWorld:
    station: Point
    school_b: Point
    road: Point
    entry: LedgerEntry


def _type(code: str, name: str) -> PointType:
    """The reference point types may already be seeded by a migration."""
    return PointType.objects.filter(name=name).first() or PointType.objects.create(code=code, name=name)


def practice_world(world: Any) -> PracticeWorld:
    cached = world.__dict__.get("_practice_world")
    if cached is not None:
        return cached
    station_type = _type("SJZ", "新时代文明实践中心(所、站)")
    school_type = _type("XX", "中小学校")
    road_type = _type("ZCGD", "主次干道")
    station = Point.objects.create(
        name="松林一社区新时代文明实践站", point_type=station_type, unit=world.community_a
    )
    school_b = Point.objects.create(name="柳岸小学", point_type=school_type, unit=world.community_b)
    road = Point.objects.create(name="松林路", point_type=road_type, unit=world.street_a)
    entry, _created = services.add_entry(
        station,
        world.office,
        services.EntryData(
            date=timezone.localdate() - dt.timedelta(days=3),
            theme="theory",
            title="党的二十大精神宣讲",
            organiser="松林一社区",
            participants=32,
        ),
    )
    made = PracticeWorld(station, school_b, road, entry)
    world.__dict__["_practice_world"] = made
    return made
