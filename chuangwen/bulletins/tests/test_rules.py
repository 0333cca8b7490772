"""The bulletin's rules at their edges: what falls due exactly at the deadline, and the "poor"
list's overdue rule (a unit with a good rate and one overdue problem is still named)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from chuangwen.bulletins import content
from chuangwen.bulletins.tests.factories import closed_problem, draft, overdue_problem
from chuangwen.problems.models import Problem
from chuangwen.problems.tests.factories import problem_in_street_a

pytestmark = pytest.mark.django_db


def _with_deadline(world, deadline: dt.datetime) -> Problem:
    p = problem_in_street_a(world)
    Problem.objects.filter(pk=p.pk).update(deadline=deadline)
    return p


def test_a_deadline_exactly_now_is_due_but_not_yet_overdue(world):
    as_of = timezone.now().replace(microsecond=0)
    at = _with_deadline(world, as_of)
    later = _with_deadline(world, as_of + dt.timedelta(seconds=1))
    earlier = _with_deadline(world, as_of - dt.timedelta(seconds=1))
    snapshot = content.gather(draft(world), as_of=as_of)
    summary = snapshot["summary"]
    assert (summary["total"], summary["due"], summary["overdue"]) == (3, 2, 1)
    listed = {
        p["id"]: p["overdue"]
        for g in snapshot["groups"]
        for t in g["types"]
        for pt in t["points"]
        for p in pt["problems"]
    }
    assert listed == {at.pk: False, later.pk: False, earlier.pk: True}


def test_a_unit_with_a_good_rate_and_one_overdue_problem_is_named_poor_not_good(world, settings):
    for _ in range(9):
        closed_problem(world)
    overdue_problem(world, world.street_a)
    snapshot = content.gather(draft(world))
    street_a = next(t for t in snapshot["units_by_rate"] if t["id"] == world.street_a.pk)
    assert street_a["rate"] == pytest.approx(90.0) and street_a["overdue"] == 1
    assert [t["id"] for t in snapshot["poor"]] == [world.street_a.pk]
    assert snapshot["good"] == []


def test_a_unit_at_the_good_rate_with_nothing_overdue_is_named_good():
    rows = [
        content.Tally(total=10, due=10, closed=9, id=1, name="甲"),
        content.Tally(total=10, due=10, closed=5, id=2, name="乙"),
        content.Tally(total=10, due=10, closed=6, id=3, name="丙"),
    ]
    good, poor = content.good_and_poor(rows)
    assert [t.id for t in good] == [1]  # 90% is the default good rate: at it counts
    assert [t.id for t in poor] == [2]  # 60% is the default poor rate: at it does not count
    assert content.mentions(rows, [], good, poor) == [[1, "good"], [2, "poor"], [3, "listed"]]
