"""A working group owns the tasks, points and problems of its units; its leader sees them at home."""

from __future__ import annotations

import pytest
from django.urls import reverse

from chuangwen.campaigns.models import WorkingGroup
from chuangwen.org.models import Person
from chuangwen.problems.models import Problem, ProblemCategory, Status

pytestmark = pytest.mark.django_db


def _problem(unit, status=Status.DISPATCHED) -> Problem:
    return Problem.objects.create(
        category=ProblemCategory.objects.first(),
        description="占道经营",
        unit=unit,
        status=status,
        address="松林路",
    )


@pytest.fixture
def group(world) -> WorkingGroup:
    leader = Person.objects.create(name="组长", unit=world.street_a, user=world.unit_admin_a)
    group = WorkingGroup.objects.create(
        campaign=world.campaign, name="商家店铺组", lead_unit=world.street_a, responsible=leader
    )
    return group


def test_the_group_page_lists_the_problems_of_its_units_and_filters_them(world, group):
    mine = _problem(world.community_a)
    closed = _problem(world.street_a, Status.CLOSED)
    other = _problem(world.community_b)
    url = reverse("core:group_work", args=[group.pk])
    html = world.client("office").get(url, {"kind": "problems"}).content.decode()
    assert f"#{mine.pk} " in html and f"#{closed.pk} " in html and f"#{other.pk} " not in html
    html = world.client("office").get(url, {"kind": "problems", "open": "1"}).content.decode()
    assert f"#{mine.pk} " in html and f"#{closed.pk} " not in html
    group.members.add(world.street_b)
    html = world.client("office").get(url, {"kind": "problems"}).content.decode()
    assert f"#{other.pk} " in html, "a member unit's problems belong to the group"


def test_the_lists_stay_within_what_the_viewer_may_see(world, group):
    mine = _problem(world.community_a)
    html = world.client("liaison_b").get(reverse("core:group_work", args=[group.pk])).content.decode()
    assert f"#{mine.pk} " not in html


def test_the_groups_leader_sees_its_open_problems_on_the_home_page(world, group):
    _problem(world.community_a)
    html = world.client("unit_admin_a").get(reverse("core:home")).content.decode()
    assert "Open problems of 商家店铺组" in html
    assert (
        "Open problems of 商家店铺组"
        not in world.client("liaison_a").get(reverse("core:home")).content.decode()
    )


def test_the_group_page_links_each_list_filtered_by_the_group(world, group):
    html = world.client("office").get(reverse("core:group_work", args=[group.pk])).content.decode()
    for name in ("tasks:board", "points:list", "problems:list"):
        assert f'href="{reverse(name)}?group={group.pk}"' in html, name
