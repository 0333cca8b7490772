"""GET /api/accounts/me: who the caller is, its roles and its units."""

from __future__ import annotations

from django.test import Client

from chuangwen.accounts.models import Membership, Role


def test_me_describes_the_caller_roles_and_units(world):
    Membership.objects.create(user=world.liaison_a, unit=world.community_a, role=Role.ENUMERATOR)
    response = world.client("liaison_a").get("/api/accounts/me")
    assert response.status_code == 200
    body = response.json()
    assert body["username"] == "liaison_a"
    assert body["roles"] == ["enumerator", "liaison"]
    assert body["campaign_wide"] is False
    assert body["two_factor"] is False
    assert [(m["unit_id"], m["role"]) for m in body["memberships"]] == [
        (world.street_a.pk, "liaison"),
        (world.community_a.pk, "enumerator"),
    ]
    assert body["memberships"][0]["unit_name"] == "松林街道"


def test_me_says_the_office_sees_the_whole_campaign(world):
    body = world.client("office").get("/api/accounts/me").json()
    assert body["campaign_wide"] is True
    assert body["roles"] == ["office_admin"]


def test_me_needs_a_signed_in_caller():
    assert Client().get("/api/accounts/me").status_code == 401
