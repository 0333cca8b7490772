"""Refreshing the snapshot: every slice, every widget's figures, the audit entry, no stale write."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from chuangwen.audit.models import AuditEntry
from chuangwen.dashboard.models import Snapshot
from chuangwen.dashboard.services import refresh
from chuangwen.dashboard.tests.factories import problems
from chuangwen.materials.tests.factories import make_requirement
from chuangwen.points.models import CheckIn
from chuangwen.points.tests.fixtures import field as make_field
from chuangwen.points.tests.fixtures import make_point
from chuangwen.surveys.tests.factories import survey_world

pytestmark = pytest.mark.django_db


def _slices(world):
    return {s.unit_id: s.data for s in Snapshot.objects.filter(campaign=world.campaign)}


def test_it_writes_the_whole_campaign_and_one_slice_per_street(world):
    result = refresh(world.campaign, actor=world.office)
    assert result.written and result.slices == 3
    assert set(_slices(world)) == {None, world.street_a.pk, world.street_b.pk}
    entry = AuditEntry.objects.get(action="dashboard.snapshot.refresh")
    assert entry.actor == world.office and entry.changes["slices"] == 3


def test_it_counts_rectification_and_overdue_problems_per_slice(world):
    problems(world)
    refresh(world.campaign)
    data = _slices(world)
    whole, a, b = (
        data[None]["problems"],
        data[world.street_a.pk]["problems"],
        data[world.street_b.pk]["problems"],
    )
    # The duplicate is not counted; closed / due, where due = deadline passed or closed.
    assert (whole["total"], whole["due"], whole["closed"], whole["overdue"]) == (5, 4, 2, 2)
    assert whole["rectification_rate"] == 50.0
    assert (a["total"], a["open"], a["overdue"], a["rectification_rate"]) == (4, 2, 1, 66.7)
    assert (b["total"], b["overdue"], b["rectification_rate"]) == (1, 1, 0.0)
    assert sum(m["total"] for m in whole["monthly"]) == 5 and len(whole["monthly"]) == 12
    assert sum(w["closed"] for w in a["weekly"]) == 2 and len(a["weekly"]) == 12
    assert a["overdue_by_unit"] == [{"unit_id": world.community_a.pk, "unit": "松林一社区", "overdue": 1}]
    assert [r["unit"] for r in whole["overdue_by_unit"]] == ["松林一社区", "柳岸一社区"]


def test_it_rates_surveys_against_the_threshold_per_slice(world):
    survey_world(world)  # one response in community A and one in community B
    refresh(world.campaign)
    data = _slices(world)
    whole = {r["measure"]: r for r in data[None]["surveys"]}
    street_a = {r["measure"]: r for r in data[world.street_a.pk]["surveys"]}
    assert "satisfaction" in whole
    row = whole["satisfaction"]
    assert row["threshold"] == 0.8 and row["round"] == "第一轮" and row["n"] > 0
    assert row["below"] == (row["rate"] < 0.8)
    assert 0 <= row["low"] <= row["rate"] <= row["high"] <= 1
    assert street_a["satisfaction"]["n"] < row["n"]


def test_it_counts_points_by_their_latest_result_and_materials_by_state(world):
    make_point(world, name="松林大道", code="P1", last_score=50.0, last_failed=4)
    make_point(world, name="柳岸路", code="P2", unit=world.community_b)
    make_requirement(world)  # assigned to street A, quarterly: due and missing
    refresh(world.campaign)
    data = _slices(world)
    assert data[None]["points"] == {"good": 0, "fair": 0, "poor": 1, "none": 1, "total": 2}
    assert data[world.street_a.pk]["points"]["poor"] == 1
    assert data[world.street_b.pk]["points"]["none"] == 1
    assert data[None]["materials"]["cells"] == 1
    assert data[None]["materials"]["missing"] + data[None]["materials"]["upcoming"] == 1
    assert data[world.street_b.pk]["materials"]["cells"] == 0


def test_it_counts_duty_attendance_over_the_last_days(world):
    shift = make_field(world).shift  # person A rostered at a point of street A
    shift.date = timezone.localdate() - dt.timedelta(days=1)
    shift.save(update_fields=["date"])
    CheckIn.objects.filter(shift=shift).delete()
    refresh(world.campaign)
    duty = _slices(world)[world.street_a.pk]["duty"]
    assert duty["assigned"] >= 1 and duty["attended"] == 0 and duty["rate"] == 0.0


def test_scores_say_not_available_until_the_scoring_app_has_run(world):
    refresh(world.campaign)
    scores = _slices(world)[None]["scores"]
    assert scores["computed"] is False


def test_a_refresh_that_started_earlier_does_not_overwrite_newer_figures(world):
    refresh(world.campaign)
    later = timezone.now() + dt.timedelta(minutes=5)
    Snapshot.objects.filter(campaign=world.campaign).update(computed_at=later)
    result = refresh(world.campaign)
    assert result.written is False
    assert Snapshot.objects.get(campaign=world.campaign, unit=None).computed_at == later


def test_a_street_that_is_no_longer_active_loses_its_slice(world):
    refresh(world.campaign)
    world.street_b.is_active = False
    world.street_b.save(update_fields=["is_active"])
    refresh(world.campaign)
    assert set(_slices(world)) == {None, world.street_a.pk}
