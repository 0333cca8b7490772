"""The points list and the points API filter by working group (`?group=` / `group_id`)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from chuangwen.campaigns.tests.group_fixtures import NONSENSE, two_groups
from chuangwen.core.excel import read_workbook
from chuangwen.points.tests.fixtures import make_point

pytestmark = pytest.mark.django_db


@pytest.fixture
def groups(world):
    make_point(world, name="松林农贸市场", unit=world.community_a)
    make_point(world, name="柳岸公园", unit=world.street_b)
    make_point(world, name="区政务大厅", unit=world.department)
    return two_groups(world)


def names(response) -> set[str]:
    return {p["name"] for p in response.json()["items"]}


def test_the_list_shows_only_the_points_of_the_groups_units(world, groups):
    both, only_b = groups
    html = world.client("office").get(reverse("points:list"), {"group": both.pk}).content.decode()
    assert "松林农贸市场" in html and "柳岸公园" in html and "区政务大厅" not in html
    html = world.client("office").get(reverse("points:list"), {"group": only_b.pk}).content.decode()
    assert "柳岸公园" in html and "松林农贸市场" not in html


def test_the_list_offers_the_current_campaigns_groups_in_a_picker(world, groups):
    both, only_b = groups
    html = world.client("liaison_a").get(reverse("points:list"), {"group": only_b.pk}).content.decode()
    assert f'<option value="{only_b.pk}" selected>社区工作组</option>' in html
    assert f'<option value="{both.pk}">商家店铺组</option>' in html


def test_a_liaison_sees_no_other_units_points_through_the_filter(world, groups):
    both, only_b = groups
    html = world.client("liaison_b").get(reverse("points:list"), {"group": both.pk}).content.decode()
    assert "柳岸公园" in html and "松林农贸市场" not in html
    assert names(world.client("liaison_b").get("/api/points/", {"group_id": both.pk})) == {"柳岸公园"}
    assert names(world.client("liaison_a").get("/api/points/", {"group_id": only_b.pk})) == set()


def test_the_api_filters_points_by_group(world, groups):
    both, only_b = groups
    assert names(world.client("office").get("/api/points/", {"group_id": both.pk})) == {
        "松林农贸市场",
        "柳岸公园",
    }
    assert names(world.client("office").get("/api/points/", {"group_id": only_b.pk})) == {"柳岸公园"}


def test_the_export_follows_the_group_filter(world, groups):
    both, only_b = groups
    response = world.client("office").get(reverse("points:export"), {"group": only_b.pk})
    assert response.status_code == 200
    cells = {cell for row in read_workbook(response.content)[0].rows for cell in row}
    assert "柳岸公园" in cells and "松林农贸市场" not in cells


def test_nonsense_group_values_are_answered_without_a_server_error(world, groups):
    client = world.client("office")
    for value in NONSENSE:
        assert client.get(reverse("points:list"), {"group": value}).status_code in (200, 400, 404), value
    assert client.get("/api/points/", {"group_id": "abc"}).status_code in (400, 422)
    assert client.get("/api/points/", {"group_id": NONSENSE[-1]}).status_code in (400, 404, 422)
    assert client.get("/api/points/", {"group_id": 999999}).status_code == 404
