"""One answer everywhere to "which campaign is this user looking at" (campaigns.choice)."""

from __future__ import annotations

import pytest
from django.http import Http404

from chuangwen.campaigns.choice import chosen_campaign, required_campaign
from chuangwen.campaigns.models import Campaign
from chuangwen.core.errors import NoCampaign
from chuangwen.org.models import Unit, UnitKind


@pytest.fixture
def other_district(world) -> Campaign:
    """A campaign over another district: nobody of the world's district may see it."""
    district = Unit.objects.create(
        name="北岭区", code="D2", kind=UnitKind.DISTRICT, parent=world.district.parent
    )
    return Campaign.objects.create(name="北岭区年度创建", year=world.campaign.year, root_unit=district)


def test_without_a_choice_the_current_campaign_in_scope(world, other_district):
    older = Campaign.objects.create(name="上一年度", year=world.campaign.year - 1, root_unit=world.district)
    assert chosen_campaign(world.liaison_a) == world.campaign
    assert chosen_campaign(world.office, "") == world.campaign
    assert chosen_campaign(world.office, str(older.pk)) == older
    assert chosen_campaign(world.office, older.pk) == older


def test_without_a_current_one_the_latest_in_scope(world):
    Campaign.objects.update(is_current=False)
    newer = Campaign.objects.create(name="下一年度", year=world.campaign.year + 1, root_unit=world.district)
    assert chosen_campaign(world.liaison_a) == newer


@pytest.mark.parametrize("wanted", ["abc", "-1", "1.5", "122373713130106355712", "999999"])
def test_a_malformed_or_unknown_choice_is_404_not_the_current_one(world, wanted):
    with pytest.raises(Http404):
        chosen_campaign(world.office, wanted)


def test_a_campaign_outside_the_scope_is_404(world, other_district):
    with pytest.raises(Http404):
        chosen_campaign(world.liaison_a, other_district.pk)
    assert chosen_campaign(world.liaison_a) == world.campaign


def test_nobody_sees_a_campaign_none_or_the_setup_page(world):
    Campaign.objects.all().delete()
    assert chosen_campaign(world.office) is None
    with pytest.raises(NoCampaign):
        required_campaign(world.office)


def test_the_materials_board_answers_404_for_an_unknown_campaign_like_the_others(world):
    """It answered an empty board (None) where the other pages answered 404."""
    client = world.client("office")
    for url in ("/materials/requirements/", "/tasks/", "/scoring/", "/assessments/"):
        assert client.get(url, {"campaign": "999999"}).status_code == 404, url
        assert client.get(url).status_code == 200, url
