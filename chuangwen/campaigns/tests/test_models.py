from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from chuangwen.campaigns.models import Campaign, Phase

pytestmark = pytest.mark.django_db


def test_the_countdown_counts_days_to_the_window_and_zero_while_it_is_open(world):
    campaign = world.campaign
    start = campaign.inspection_start
    assert campaign.days_to_inspection(start - dt.timedelta(days=5)) == 5
    assert campaign.days_to_inspection(start + dt.timedelta(days=1)) == 0
    assert campaign.days_to_inspection(campaign.inspection_end + dt.timedelta(days=1)) < 0
    campaign.inspection_start = None
    assert campaign.days_to_inspection() is None


def test_only_one_campaign_can_be_current(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Campaign.objects.create(name="另一个", year=2026, root_unit=world.district, is_current=True)


def test_a_phase_cannot_end_before_it_starts(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Phase.objects.create(
            campaign=world.campaign, seq=9, name="倒序", start=dt.date(2026, 5, 1), end=dt.date(2026, 4, 1)
        )


def test_every_unit_inside_the_territory_sees_the_campaign_calendar(world):
    for role in ("liaison_a", "liaison_b", "duty_a", "leader"):
        html = world.client(role).get(reverse("campaigns:calendar")).content.decode()
        assert world.campaign.name in html, role
        assert "宣传发动" in html


def test_a_campaign_of_another_territory_is_invisible(world):
    from chuangwen.org.models import Unit, UnitKind

    other = Unit.objects.create(name="远山县", code="X9", kind=UnitKind.DISTRICT)
    hidden = Campaign.objects.create(name="远山县创建", year=2026, root_unit=other)
    response = world.client("liaison_a").get(reverse("campaigns:calendar"), {"campaign": hidden.pk})
    assert response.status_code == 404
    assert world.client("liaison_a").get(f"/api/campaigns/{hidden.pk}").status_code == 404


def test_the_campaign_api_reports_the_countdown_and_phases(world):
    data = world.client("liaison_a").get(f"/api/campaigns/{world.campaign.pk}").json()
    assert data["days_to_inspection"] == 40
    assert [p["name"] for p in data["phases"]] == ["宣传发动"]


def test_the_campaign_api_lists_each_phases_deliverables(world):
    from chuangwen.campaigns.models import PhaseTask

    phase = world.campaign.phases.get()
    PhaseTask.objects.create(phase=phase, number=1, text="宣传牌更换", unit=world.street_a, due=phase.end)
    data = world.client("liaison_b").get(f"/api/campaigns/{world.campaign.pk}").json()
    [deliverable] = data["phases"][0]["deliverables"]
    assert (deliverable["text"], deliverable["unit_id"], deliverable["status"]) == (
        "宣传牌更换",
        world.street_a.pk,
        "todo",
    )
