"""The problems inbox, the problems list and their API routes filter by working group."""

from __future__ import annotations

import pytest
from django.urls import reverse

from chuangwen.campaigns.tests.group_fixtures import NONSENSE, two_groups
from chuangwen.problems.models import Problem, ProblemCategory, Status

pytestmark = pytest.mark.django_db


def _problem(unit, description: str) -> Problem:
    return Problem.objects.create(
        category=ProblemCategory.objects.filter(parent__isnull=False).first(),
        description=description,
        unit=unit,
        status=Status.DISPATCHED,
        address="青石区",
    )


@pytest.fixture
def groups(world):
    _problem(world.community_a, "松林占道经营")
    _problem(world.street_b, "柳岸垃圾堆放")
    _problem(world.department, "区直窗口秩序")
    return two_groups(world)


def descriptions(response) -> set[str]:
    return {p["description"] for p in response.json()["items"]}


def test_the_inbox_shows_only_the_problems_of_the_groups_units(world, groups):
    both, only_b = groups
    html = world.client("office").get(reverse("problems:inbox"), {"group": both.pk}).content.decode()
    assert "松林占道经营" in html and "柳岸垃圾堆放" in html and "区直窗口秩序" not in html
    html = world.client("office").get(reverse("problems:inbox"), {"group": only_b.pk}).content.decode()
    assert "柳岸垃圾堆放" in html and "松林占道经营" not in html


def test_the_inbox_and_the_list_offer_the_groups_in_a_picker(world, groups):
    both, only_b = groups
    for name in ("problems:inbox", "problems:list"):
        html = world.client("liaison_a").get(reverse(name), {"group": both.pk}).content.decode()
        assert f'<option value="{both.pk}" selected>商家店铺组</option>' in html, name
        assert f'<option value="{only_b.pk}">社区工作组</option>' in html, name


def test_a_liaison_sees_no_other_units_problems_through_the_filter(world, groups):
    both, only_b = groups
    html = world.client("liaison_b").get(reverse("problems:inbox"), {"group": both.pk}).content.decode()
    assert "柳岸垃圾堆放" in html and "松林占道经营" not in html
    html = world.client("liaison_b").get(reverse("problems:list"), {"group": both.pk}).content.decode()
    assert "柳岸垃圾堆放" in html and "松林占道经营" not in html
    client = world.client("liaison_a")
    assert descriptions(client.get("/api/problems/inbox", {"group_id": only_b.pk})) == set()
    assert descriptions(client.get("/api/problems/", {"group_id": only_b.pk})) == set()


def test_the_api_filters_the_inbox_and_the_list_by_group(world, groups):
    both, only_b = groups
    client = world.client("office")
    assert descriptions(client.get("/api/problems/inbox", {"group_id": both.pk})) == {
        "松林占道经营",
        "柳岸垃圾堆放",
    }
    assert descriptions(client.get("/api/problems/", {"group_id": only_b.pk})) == {"柳岸垃圾堆放"}
    assert len(descriptions(client.get("/api/problems/"))) == 3, "no group, no filter"


def test_the_list_page_filters_by_group(world, groups):
    _, only_b = groups
    html = world.client("office").get(reverse("problems:list"), {"group": only_b.pk}).content.decode()
    assert "柳岸垃圾堆放" in html and "松林占道经营" not in html and "区直窗口秩序" not in html


def test_nonsense_group_values_are_answered_without_a_server_error(world, groups):
    client = world.client("office")
    for name in ("problems:inbox", "problems:list"):
        for value in NONSENSE:
            assert client.get(reverse(name), {"group": value}).status_code in (200, 400, 404), (name, value)
    for path in ("/api/problems/inbox", "/api/problems/"):
        assert client.get(path, {"group_id": "abc"}).status_code in (400, 422)
        assert client.get(path, {"group_id": NONSENSE[-1]}).status_code in (400, 404, 422)
        assert client.get(path, {"group_id": 999999}).status_code == 404
