"""Test data of volunteers: a team and two volunteers of community A (one signed in and out at
community A's activity of today), one volunteer of community B. Built once per world."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from chuangwen.volunteers import commendation, services
from chuangwen.volunteers.models import Activity, Commendation, ServiceRecord, Team, Volunteer

# 松林一社区's activity place (WGS-84).
LAT, LNG = 30.2741, 120.1551


@dataclass
class VolunteerWorld:
    team: Team
    volunteer: Volunteer
    other: Volunteer
    volunteer_b: Volunteer
    activity: Activity
    record: ServiceRecord
    commendation: Commendation


def volunteer_world(world: Any) -> VolunteerWorld:
    cached = world.__dict__.get("_volunteer_world")
    if cached is not None:
        return cached
    office = world.office
    team = services.save_team(Team(unit=world.community_a, name="松林文明劝导队"), office)
    volunteer = services.save_volunteer(
        Volunteer(unit=world.community_a, name="周青禾", phone="13911110001", code="V-A-1"),
        office,
        id_number="110101199001011234",
        teams=[team],
    )
    other = services.save_volunteer(
        Volunteer(unit=world.community_a, name="吴远山", phone="13911110002"), office, teams=[team]
    )
    volunteer_b = services.save_volunteer(
        Volunteer(unit=world.community_b, name="柳若溪", phone="13911110003"), office
    )
    now = timezone.now()
    activity = services.save_activity(
        Activity(
            unit=world.community_a,
            team=team,
            title="周五文明劝导",
            category="persuasion",
            address="松林路口",
            lat=LAT,
            lng=LNG,
            starts_at=now - dt.timedelta(hours=3),
            ends_at=now + dt.timedelta(hours=1),
            capacity=10,
        ),
        office,
    )
    services.sign_in(activity, volunteer, LAT, LNG, now=now - dt.timedelta(hours=3))
    record = services.sign_out(activity, volunteer, LAT, LNG, now=now - dt.timedelta(hours=1))
    nominated = commendation.nominate(office, now.year, volunteer=other, reason="常年参加周五志愿服务")
    made = VolunteerWorld(team, volunteer, other, volunteer_b, activity, record, nominated)
    world.__dict__["_volunteer_world"] = made
    return made
