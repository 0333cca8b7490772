"""Issue 21: merging a duplicate picks the original from the problems reported nearby, and the
page asks before merging or closing as not applicable."""

from __future__ import annotations

import pytest

from chuangwen.problems.models import Status
from chuangwen.problems.tests.factories import problem_in_street_a

pytestmark = pytest.mark.django_db


def test_the_office_merges_a_problem_into_one_picked_from_the_nearby_list(world):
    original = problem_in_street_a(world, lat=30.0, lng=120.0, description="松林路人行道被占")
    repeat = problem_in_street_a(world, lat=30.0001, lng=120.0001)
    office = world.client("office")
    page = office.get(f"/problems/{repeat.pk}/").content.decode()
    assert f'name="nearby" value="{original.pk}"' in page, "the nearby problem is offered as a choice"
    assert "松林路人行道被占" in page
    assert "data-confirm=" in page.split(f"/problems/{repeat.pk}/duplicate/")[1][:400], "merging asks first"
    response = office.post(
        f"/problems/{repeat.pk}/duplicate/", {"version": repeat.version, "nearby": original.pk}
    )
    assert response.status_code == 302
    repeat.refresh_from_db()
    assert repeat.status not in (Status.REPORTED, Status.DISPATCHED)
    assert repeat.duplicate_of_id == original.pk


def test_a_problem_far_away_can_still_be_merged_by_its_number(world):
    original = problem_in_street_a(world, lat=31.0, lng=121.0)
    repeat = problem_in_street_a(world, lat=30.0, lng=120.0)
    office = world.client("office")
    assert 'name="nearby"' not in office.get(f"/problems/{repeat.pk}/").content.decode()
    response = office.post(
        f"/problems/{repeat.pk}/duplicate/", {"version": repeat.version, "original": original.pk}
    )
    assert response.status_code == 302
    repeat.refresh_from_db()
    assert repeat.duplicate_of_id == original.pk


def test_merging_without_a_choice_says_what_is_missing(world):
    repeat = problem_in_street_a(world, lat=30.0, lng=120.0)
    response = world.client("office").post(f"/problems/{repeat.pk}/duplicate/", {"version": repeat.version})
    assert response.status_code in (200, 400)
    assert "Choose the problem it repeats" in response.content.decode()
    repeat.refresh_from_db()
    assert repeat.duplicate_of_id is None
