"""The dashboard page: who sees which slice, the not-computed state, recomputing on demand."""

from __future__ import annotations

import pytest
from django.urls import reverse

from chuangwen.audit.models import AuditEntry
from chuangwen.dashboard.models import Snapshot
from chuangwen.dashboard.tests.factories import problems, snapshot_of

pytestmark = pytest.mark.django_db
URL = reverse("dashboard:index")


def test_before_the_first_refresh_it_says_not_computed_yet_with_the_countdown(world):
    response = world.client("leader").get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="not-computed"' in body
    assert 'data-testid="countdown">40<' in body
    assert "宣传发动" in body


def test_leaders_see_the_whole_campaign_figures(world):
    problems(world)
    snapshot_of(world)
    body = world.client("leader").get(URL).content.decode()
    assert 'data-testid="overdue">2<' in body
    assert "50.0%" in body  # rectification rate of the whole campaign
    assert reverse("api:dashboard_snapshot") in body
    assert "Scores have not been computed yet." in body or "Scoring is not available yet." in body


def test_a_street_liaison_sees_only_its_street_slice(world):
    problems(world)
    snapshot_of(world)
    client = world.client("liaison_a")
    body = client.get(URL).content.decode()
    assert 'data-testid="overdue">1<' in body
    assert "Whole campaign" not in body
    assert client.get(URL, {"unit": world.street_b.pk}).status_code == 404
    assert world.client("liaison_b").get(URL, {"unit": world.street_a.pk}).status_code == 404


def test_the_office_can_switch_to_a_street(world):
    problems(world)
    snapshot_of(world)
    body = world.client("office").get(URL, {"unit": world.street_b.pk}).content.decode()
    assert 'data-testid="overdue">1<' in body
    assert f"unit_id={world.street_b.pk}" in body  # the map and the charts read the slice


def test_roles_without_a_dashboard_are_refused(world):
    for role in ("inspector", "duty_a", "enumerator_a"):
        assert world.client(role).get(URL).status_code == 403


def test_the_office_recomputes_on_demand(world):
    response = world.client("office").post(reverse("dashboard:refresh"), {"campaign": world.campaign.pk})
    assert response.status_code == 302
    assert Snapshot.objects.filter(campaign=world.campaign).count() == 3
    assert AuditEntry.objects.filter(action="dashboard.snapshot.refresh_requested").exists()
    assert AuditEntry.objects.get(action="dashboard.snapshot.refresh").actor == world.office


def test_a_liaison_cannot_recompute(world):
    response = world.client("liaison_a").post(reverse("dashboard:refresh"))
    assert response.status_code == 403
    assert not Snapshot.objects.exists()


def test_a_campaign_out_of_reach_is_404(world):
    assert world.client("office").get(URL, {"campaign": 999999}).status_code == 404
    assert world.client("office").get(URL, {"campaign": "x"}).status_code == 404


def test_the_page_reads_a_handful_of_queries(world, django_assert_max_num_queries):
    problems(world)
    snapshot_of(world)
    client = world.client("leader")
    client.get(URL)
    with django_assert_max_num_queries(12):
        assert client.get(URL).status_code == 200


def test_the_home_page_points_leaders_to_the_dashboard(world):
    problems(world)
    snapshot_of(world)
    body = world.client("leader").get(reverse("core:home")).content.decode()
    assert "Leadership dashboard: overdue problems" in body
    assert URL in body
    assert "Leadership dashboard" not in world.client("duty_a").get(reverse("core:home")).content.decode()
