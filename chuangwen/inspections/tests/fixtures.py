"""An open supervision round of the office, carried out by the inspector's team (督查组), with
street A's point in it and one observation with a photo. Built once per test, on demand."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from chuangwen.inspections.models import Observation, ObservationPhoto, Round, RoundPoint, RoundStatus
from chuangwen.points.tests.fixtures import field, jpeg


@dataclass
class Inspection:
    round: Round
    rp: RoundPoint
    observation: Observation
    photo: ObservationPhoto


def inspection(world: Any) -> Inspection:
    cached = world.__dict__.get("_inspection")
    if cached is not None:
        return cached
    point = field(world).point
    today = timezone.localdate()
    round_ = Round.objects.create(
        name="第12周督查",
        kind="supervision",
        status=RoundStatus.OPEN,
        start_date=today,
        end_date=today + dt.timedelta(days=6),
        organizer=world.office_unit,
        team=world.inspection_team,
        campaign=world.campaign,
    )
    rp = RoundPoint.objects.create(round=round_, point=point, team=world.inspection_team, seq=1)
    item = point.point_type.items.get(number=1)
    observation = Observation.objects.create(
        round_point=rp, item=item, result="pass", grade="A", score=1, max_score=1, observed_at=timezone.now()
    )
    photo = ObservationPhoto(
        observation=observation, sha256="1" * 64, content_type="image/jpeg", size=10, width=64, height=48
    )
    photo.original.save("o.jpg", ContentFile(jpeg()), save=False)
    photo.display.save("o.jpg", ContentFile(jpeg()), save=False)
    photo.save()
    made = Inspection(round_, rp, observation, photo)
    world.__dict__["_inspection"] = made
    return made
