"""Field data of street A for tests and the permission matrix: built once per test, on demand.

`field(world)` makes a point of street A (主次干道, with a position), a roster staffed by
community A with a shift covering today, the person 林小松 linked to the duty_a login and on
that shift, and one duty log entry with a photo.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from chuangwen.points.models import DutyLog, DutyLogPhoto, DutyRoster, DutyShift, Point, PointType

# 松林 street A's point, near a made-up place in the fictional 青石区.
POINT_LAT, POINT_LNG = 30.2741, 120.1551


def jpeg(size: tuple[int, int] = (64, 48), colour: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG")
    return out.getvalue()


@dataclass
class Field:
    point: Point
    roster: DutyRoster
    shift: DutyShift
    log: DutyLog
    photo: DutyLogPhoto


def make_point(
    world: Any, name: str = "松林大道", unit: Any = None, type_code: str = "ZCGD", **extra: Any
) -> Point:
    if not PointType.objects.filter(code=type_code).exists():
        # A transactional (browser) test before this one flushed the rows the migration seeded.
        from chuangwen.points.models import ChecklistItem
        from chuangwen.points.seed import seed_reference

        seed_reference(PointType, ChecklistItem)
    return Point.objects.create(
        name=name,
        point_type=PointType.objects.get(code=type_code),
        unit=unit or world.street_a,
        lat=extra.pop("lat", POINT_LAT),
        lng=extra.pop("lng", POINT_LNG),
        **extra,
    )


def field(world: Any) -> Field:
    cached = world.__dict__.get("_field")
    if cached is not None:
        return cached
    person = world.person_a
    person.user = world.users["duty_a"]
    person.save(update_fields=["user"])
    point = make_point(world, code="SL-001", address="松林大道1号")
    today = timezone.localdate()
    roster = DutyRoster.objects.create(
        point=point,
        unit=world.community_a,
        name="松林大道文明交通劝导",
        start_date=today,
        end_date=today,
        windows=[["00:00", "23:59"]],
        required_count=1,
    )
    roster.people.add(person)
    shift = DutyShift.objects.create(
        roster=roster, point=point, date=today, start_time=dt.time(0, 0), end_time=dt.time(23, 59)
    )
    shift.people.add(person)
    log = DutyLog.objects.create(
        point=point,
        shift=shift,
        unit=world.community_a,
        person=person,
        user=world.users["duty_a"],
        date=today,
        category="traffic",
        count=3,
    )
    photo = DutyLogPhoto(log=log, sha256="0" * 64, content_type="image/jpeg", size=10, width=64, height=48)
    photo.original.save("p.jpg", ContentFile(jpeg()), save=False)
    photo.display.save("p.jpg", ContentFile(jpeg()), save=False)
    photo.save()
    made = Field(point, roster, shift, log, photo)
    world.__dict__["_field"] = made
    return made
