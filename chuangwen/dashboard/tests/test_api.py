"""The snapshot JSON API that the charts read, and recomputing through the API."""

from __future__ import annotations

import pytest

from chuangwen.api import api
from chuangwen.dashboard.models import Snapshot
from chuangwen.dashboard.tests.factories import problems, snapshot_of

pytestmark = pytest.mark.django_db
SNAPSHOT = "/api/dashboard/snapshot"


def test_leaders_read_the_whole_campaign_and_every_slice_name(world):
    problems(world)
    snapshot_of(world)
    body = world.client("leader").get(SNAPSHOT).json()
    assert body["unit_id"] is None and body["campaign_id"] == world.campaign.pk
    assert body["data"]["problems"]["overdue"] == 2
    assert {s["unit"] for s in body["slices"]} == {"", "松林街道", "柳岸街道"}
    assert set(body["data"]) >= {"scores", "problems", "surveys", "points", "materials", "duty"}


def test_a_street_liaison_gets_its_slice_by_default_and_nothing_of_a_sibling(world):
    problems(world)
    snapshot_of(world)
    client = world.client("liaison_a")
    body = client.get(SNAPSHOT).json()
    assert body["unit_id"] == world.street_a.pk
    assert [s["unit_id"] for s in body["slices"]] == [world.street_a.pk]
    assert body["data"]["problems"]["total"] == 4
    assert client.get(SNAPSHOT, {"unit_id": world.street_b.pk}).status_code == 404


def test_not_computed_yet_is_404(world):
    assert world.client("office").get(SNAPSHOT).status_code == 404


def test_the_refresh_route_queues_a_recompute_for_the_office_only(world):
    assert world.client("liaison_a").post("/api/dashboard/refresh").status_code == 403
    response = world.client("office").post("/api/dashboard/refresh")
    assert response.status_code == 202 and response.json()["queued"] is True
    assert Snapshot.objects.filter(campaign=world.campaign).count() == 3  # huey runs inline in tests


def test_the_routes_are_in_the_openapi_document():
    paths = api.get_openapi_schema()["paths"]
    assert "get" in paths[SNAPSHOT] and "post" in paths["/api/dashboard/refresh"]
