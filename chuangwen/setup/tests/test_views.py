from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from chuangwen.accounts.models import Membership, Role, User
from chuangwen.audit.models import AuditEntry
from chuangwen.campaigns.models import Campaign
from chuangwen.conftest import PASSWORD
from chuangwen.org.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client() -> Client:
    user = User.objects.create_superuser("root", password=PASSWORD)
    client = Client()
    client.force_login(user)
    return client


def test_the_first_superuser_is_taken_to_setup_while_no_campaign_exists(superuser_client):
    response = superuser_client.get(reverse("core:home"))
    assert response.status_code == 302 and response.url == reverse("setup:index")
    page = superuser_client.get(reverse("setup:index")).content.decode()
    assert 'data-step="root"' in page and reverse("setup:save", args=["root"]) in page


def test_the_page_walks_the_steps_and_can_be_left_and_resumed(superuser_client):
    post = superuser_client.post
    post(reverse("setup:save", args=["root"]), {"name": "青石区", "code": "330106", "kind": "district"})
    # Leaving and coming back: the page opens at the first step not done.
    assert 'name="username"' in superuser_client.get(reverse("setup:index")).content.decode()
    post(reverse("setup:save", args=["admin_me"]))
    assert Membership.objects.filter(user__username="root", role=Role.OFFICE_ADMIN).exists()
    assert Person.objects.get(user__username="root").unit.name == "青石区 campaign office"
    inspection = dt.date.today() + dt.timedelta(days=150)
    response = post(
        reverse("setup:save", args=["campaign"]),
        {
            "name": "青石区创建工作",
            "level": "county",
            "year": 2027,
            "inspection_start": inspection.isoformat(),
            "phase1_name": "宣传发动、营造氛围",
            "phase2_name": "突出重点、整体推进",
        },
    )
    assert response.status_code == 302
    campaign = Campaign.objects.get()
    assert [p.name for p in campaign.phases.all()] == ["宣传发动、营造氛围", "突出重点、整体推进"]
    post(reverse("setup:save", args=["catalogues"]), {"load": ["categories", "checklists", "indicators"]})
    page = superuser_client.get(reverse("setup:index")).content.decode()
    assert 'data-step="catalogues" data-done="1"' in page
    assert reverse("org:import") in page, "the unit tree step offers the unit import"
    assert superuser_client.get(reverse("core:home")).status_code == 200, (
        "no more redirect once a campaign exists"
    )
    assert AuditEntry.objects.filter(action="campaigns.campaign.create").exists()


def test_a_wrong_answer_is_shown_beside_the_form_and_nothing_is_written(superuser_client):
    superuser_client.post(
        reverse("setup:save", args=["root"]), {"name": "青石区", "code": "1", "kind": "district"}
    )
    inspection = dt.date.today() + dt.timedelta(days=150)
    response = superuser_client.post(
        reverse("setup:save", args=["campaign"]),
        {
            "name": "x",
            "level": "county",
            "year": 2027,
            "inspection_start": inspection.isoformat(),
            "inspection_end": (inspection - dt.timedelta(days=1)).isoformat(),
            "phase1_name": "甲",
        },
    )
    assert response.status_code == 200
    assert "closes before it opens" in response.content.decode()
    assert not Campaign.objects.exists()


def test_phase_dates_are_all_or_nothing(superuser_client):
    superuser_client.post(
        reverse("setup:save", args=["root"]), {"name": "青石区", "code": "1", "kind": "district"}
    )
    response = superuser_client.post(
        reverse("setup:save", args=["campaign"]),
        {
            "name": "x",
            "level": "county",
            "year": 2027,
            "inspection_start": "2030-06-01",
            "phase1_name": "甲",
            "phase1_start": "2030-01-01",
            "phase1_end": "2030-02-01",
            "phase2_name": "乙",
        },
    )
    assert "Give both dates of every phase" in response.content.decode()
    assert not Campaign.objects.exists()


def test_the_offices_home_lists_what_is_still_empty_with_links(world):
    html = world.client("office").get(reverse("core:home")).content.decode()
    assert "No points yet" in html and reverse("points:new") in html
    assert "No points yet" not in world.client("liaison_a").get(reverse("core:home")).content.decode()


def test_pages_that_need_a_campaign_say_so_and_point_to_setup_in_chinese(world, chinese):
    Campaign.objects.all().delete()
    for url in (reverse("assessments:index"), reverse("stars:list")):
        response = world.client("office").get(url)
        assert response.status_code == 404
        html = response.content.decode()
        assert "尚未设置创建周期" in html and reverse("setup:index") in html, url
