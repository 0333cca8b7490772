"""Test data of exposure: a problem of street A on the board, and last month's lists with
street A on the criticism list (built once per world, on demand)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from chuangwen.exposure import services
from chuangwen.exposure.models import Exposure, Roll
from chuangwen.problems.tests.factories import photo, problem_in_street_a


@dataclass
class ExposureWorld:
    exposure: Exposure
    roll: Roll


def exposure_world(world: Any) -> ExposureWorld:
    cached = world.__dict__.get("_exposure")
    if cached is not None:
        return cached
    problem = problem_in_street_a(world, photos=[photo()])
    exposure = services.expose(problem, "松林路口占道经营未整改", [(2, 2, 10, 10)], world.office)
    roll = Roll.objects.create(
        campaign=world.campaign, month=timezone.localdate().replace(day=1), kind="criticism"
    )
    services.add_entry(roll, world.street_a, "逾期未整改", world.office)
    made = ExposureWorld(exposure, roll)
    world.__dict__["_exposure"] = made
    return made
