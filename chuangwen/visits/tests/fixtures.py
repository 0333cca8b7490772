"""Test data of door-to-door visits: two grids of community A (the first staffed by duty_a),
one grid of community B, their 五长 and households, and a round of street A over both grids
of community A with one visit that raised an opinion. Built once per world."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from chuangwen.org.models import Grid
from chuangwen.visits import services
from chuangwen.visits.models import Household, Steward, StewardRole, Visit, VisitRound


@dataclass
class VisitsWorld:
    grid_a1: Grid
    grid_a2: Grid
    grid_b: Grid
    home_a1: Household
    home_a1_other: Household
    home_a2: Household
    home_b: Household
    visit_round: VisitRound
    visit: Visit


def visits_world(world: Any) -> VisitsWorld:
    cached = world.__dict__.get("_visits_world")
    if cached is not None:
        return cached
    grid_a1 = Grid.objects.create(name="松林一网格", code="SL-G1", unit=world.community_a)
    grid_a2 = Grid.objects.create(name="松林二网格", code="SL-G2", unit=world.community_a)
    grid_b = Grid.objects.create(name="柳岸一网格", code="LA-G1", unit=world.community_b)
    # duty_a is 林小松 (world.person_a), as in the points fixture, which links the same login.
    staff = world.person_a
    if staff.user_id is None:
        staff.user = world.duty_a
        staff.save(update_fields=["user"])
    grid_a1.staff.add(staff)
    chief = Steward.objects.create(
        grid=grid_a1, role=StewardRole.BUILDING, name="石楼长", phone="13900000001"
    )
    home_a1 = Household.objects.create(
        grid=grid_a1, building="松林苑1栋", stairway="1单元", room="101", steward=chief
    )
    home_a1_other = Household.objects.create(grid=grid_a1, building="松林苑1栋", stairway="1单元", room="102")
    home_a2 = Household.objects.create(grid=grid_a2, building="松林苑5栋", stairway="2单元", room="301")
    home_b = Household.objects.create(grid=grid_b, building="柳岸小区3栋", room="201")
    today = timezone.localdate()
    visit_round = services.open_round(
        world.street_a,
        world.office,
        services.RoundData(
            "访千楼进万家",
            today - dt.timedelta(days=2),
            today + dt.timedelta(days=10),
            today + dt.timedelta(days=7),
        ),
        [grid_a1, grid_a2],
    )
    visit, _stored = services.record_visit(
        visit_round,
        home_a1,
        world.office,
        services.VisitData("visited", materials="倡议书", opinions="楼道堆放杂物无人清理"),
    )
    made = VisitsWorld(grid_a1, grid_a2, grid_b, home_a1, home_a1_other, home_a2, home_b, visit_round, visit)
    world.__dict__["_visits_world"] = made
    return made
