"""Two campaigns over one territory never mix: automatic cards carry their campaign."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from chuangwen.assessments import services
from chuangwen.assessments.models import UnitAssessment
from chuangwen.assessments.tests.fixtures import at, first_of_previous_month
from chuangwen.campaigns.models import Campaign
from chuangwen.problems.models import UnitCard

pytestmark = pytest.mark.django_db


def test_a_card_of_one_campaign_is_not_deducted_in_another_over_the_same_territory(world):
    villages = Campaign.objects.create(
        name="文明村镇创建", year=world.campaign.year, root_unit=world.district
    )
    day = first_of_previous_month() + dt.timedelta(days=4)
    ours = UnitCard.objects.create(unit=world.street_b, color="red", reason="overdue", issued_at=at(day))
    theirs = UnitCard.objects.create(
        unit=world.street_b, campaign=villages, color="red", reason="overdue", issued_at=at(day)
    )
    assert ours.campaign == world.campaign, "a new card goes to the current campaign covering the unit"

    month = services.compute_month(world.campaign, f"{first_of_previous_month():%Y-%m}", world.office)
    lines = {
        line.kind: line for line in UnitAssessment.objects.get(month=month, unit=world.street_b).lines.all()
    }
    assert lines["red_card"].records == {"unit_cards": [ours.pk]}
    other = services.compute_month(villages, f"{first_of_previous_month():%Y-%m}", world.office)
    lines = {
        line.kind: line for line in UnitAssessment.objects.get(month=other, unit=world.street_b).lines.all()
    }
    assert lines["red_card"].records == {"unit_cards": [theirs.pk]}


def test_the_cards_page_lists_only_the_chosen_campaigns_cards(world):
    villages = Campaign.objects.create(
        name="文明村镇创建", year=world.campaign.year, root_unit=world.district
    )
    UnitCard.objects.create(unit=world.street_a, campaign=villages, color="yellow", reason="overdue")
    ours = UnitCard.objects.create(unit=world.street_a, color="yellow", reason="overdue")
    response = world.client("office").get(reverse("assessments:cards"))
    assert [card.pk for card in response.context["auto"]] == [ours.pk]
