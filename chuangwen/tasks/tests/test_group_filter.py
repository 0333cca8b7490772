"""The task board and the task API filter by working group (`?group=` / `group_id`)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from chuangwen.campaigns.models import Campaign, WorkingGroup
from chuangwen.campaigns.tests.group_fixtures import NONSENSE, two_groups
from chuangwen.tasks.models import AssignmentRole
from chuangwen.tasks.tests.fixtures import make_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def tasks(world):
    make_task(world, title="松林任务", unit=world.community_a)
    make_task(world, title="柳岸任务", unit=world.street_b)
    make_task(world, title="区直任务", unit=world.department)
    return two_groups(world)


def titles(response) -> set[str]:
    return {t["title"] for t in response.json()["items"]}


def test_the_board_shows_only_the_tasks_of_the_groups_units(world, tasks):
    both, only_b = tasks
    html = world.client("office").get(reverse("tasks:board"), {"group": both.pk}).content.decode()
    assert "松林任务" in html and "柳岸任务" in html and "区直任务" not in html
    html = world.client("office").get(reverse("tasks:board"), {"group": only_b.pk}).content.decode()
    assert "柳岸任务" in html and "松林任务" not in html


def test_the_board_offers_the_campaigns_groups_in_a_picker(world, tasks):
    both, only_b = tasks
    html = world.client("liaison_a").get(reverse("tasks:board"), {"group": both.pk}).content.decode()
    assert 'name="group"' in html
    assert f'<option value="{both.pk}" selected>商家店铺组</option>' in html
    assert f'<option value="{only_b.pk}">社区工作组</option>' in html


def test_a_liaison_sees_no_other_units_tasks_through_the_filter(world, tasks):
    both, only_b = tasks
    html = world.client("liaison_b").get(reverse("tasks:board"), {"group": both.pk}).content.decode()
    assert "柳岸任务" in html and "松林任务" not in html
    assert titles(world.client("liaison_b").get("/api/tasks/", {"group_id": both.pk})) == {"柳岸任务"}
    html = world.client("liaison_a").get(reverse("tasks:board"), {"group": only_b.pk}).content.decode()
    assert "柳岸任务" not in html and "松林任务" not in html


def test_the_api_filters_tasks_by_group(world, tasks):
    both, only_b = tasks
    assert titles(world.client("office").get("/api/tasks/", {"group_id": both.pk})) == {
        "松林任务",
        "柳岸任务",
    }
    assert titles(world.client("office").get("/api/tasks/", {"group_id": only_b.pk})) == {"柳岸任务"}
    assert len(titles(world.client("office").get("/api/tasks/"))) == 3, "no group, no filter"


def test_a_task_assigned_to_two_of_the_groups_units_is_listed_once(world, tasks):
    both, _ = tasks
    task = make_task(world, title="联合任务", unit=world.street_a)
    task.assignments.create(unit=world.street_b, role=AssignmentRole.COOPERATING)
    items = world.client("office").get("/api/tasks/", {"group_id": both.pk}).json()["items"]
    assert [t["title"] for t in items].count("联合任务") == 1


def test_a_group_of_another_campaign_owns_none_of_this_campaigns_tasks(world, tasks):
    other = Campaign.objects.create(
        name="2025年度", year=2025, root_unit=world.district, office_unit=world.office_unit
    )
    old = WorkingGroup.objects.create(campaign=other, name="旧组", lead_unit=world.street_a)
    body = world.client("office").get("/api/tasks/", {"group_id": old.pk, "campaign_id": world.campaign.pk})
    assert titles(body) == set()


def test_nonsense_group_values_are_answered_without_a_server_error(world, tasks):
    client = world.client("office")
    for value in NONSENSE:
        assert client.get(reverse("tasks:board"), {"group": value}).status_code in (200, 400, 404), value
    assert client.get("/api/tasks/", {"group_id": "abc"}).status_code in (400, 422)
    assert client.get("/api/tasks/", {"group_id": NONSENSE[-1]}).status_code in (400, 404, 422)
    assert client.get("/api/tasks/", {"group_id": 999999}).status_code == 404
