"""评选表彰 of 文明志愿者: candidates from the figures, nomination, office review, publication."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from chuangwen.core.errors import DomainError
from chuangwen.volunteers import commendation, services
from chuangwen.volunteers.models import Commendation, CommendationStatus
from chuangwen.volunteers.tests.fixtures import volunteer_world

pytestmark = pytest.mark.django_db


def test_a_nomination_goes_from_the_figures_through_review_to_publication(world):
    vw = volunteer_world(world)
    services.confirm_record(vw.record, world.office)
    year = timezone.localdate().year
    found = commendation.candidates(world.liaison_a, year)
    assert [c["volunteer"] for c in found] == [vw.volunteer] and found[0]["hours"] == Decimal("2.0")
    assert commendation.candidates(world.liaison_b, year) == []
    client = world.client("liaison_a")
    client.post(reverse("volunteers:commendation_nominate"), {"year": year, "volunteer": vw.volunteer.pk})
    item = Commendation.objects.get(volunteer=vw.volunteer)
    assert (
        item.hours == Decimal("2.0") and item.activities == 1 and item.status == CommendationStatus.NOMINATED
    )
    with pytest.raises(DomainError):
        commendation.nominate(world.liaison_a, year, volunteer=vw.volunteer)
    # Only the office reviews and publishes.
    assert (
        world.client("liaison_a")
        .post(
            reverse("volunteers:commendation_review", kwargs={"pk": item.pk}),
            {"action": "approve", "status": "nominated"},
        )
        .status_code
        == 403
    )
    office = world.client("office")
    office.post(
        reverse("volunteers:commendation_review", kwargs={"pk": item.pk}),
        {"action": "approve", "status": "nominated"},
    )
    office.post(
        reverse("volunteers:commendation_review", kwargs={"pk": vw.commendation.pk}),
        {"action": "decline", "status": "nominated"},
    )
    office.post(reverse("volunteers:commendation_publish"), {"year": year})
    item.refresh_from_db()
    vw.commendation.refresh_from_db()
    assert item.status == CommendationStatus.PUBLISHED and item.published_at is not None
    assert vw.commendation.status == CommendationStatus.REJECTED
    page = world.client("leader").get(reverse("volunteers:commendations")).content.decode()
    assert vw.volunteer.name in page and "Published" in page
    assert (
        vw.volunteer.name
        not in world.client("liaison_b").get(reverse("volunteers:commendations")).content.decode()
    )


def test_a_team_is_nominated_with_its_members_hours(world):
    vw = volunteer_world(world)
    services.confirm_record(vw.record, world.office)
    item = commendation.nominate(
        world.liaison_a, timezone.localdate().year, team=vw.team, reason="周五志愿服务日"
    )
    assert item.hours == Decimal("2.0") and item.unit == world.community_a and item.nominee == vw.team.name
