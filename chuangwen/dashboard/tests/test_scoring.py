"""The score widgets end to end: a real scoring run, then the watcher refreshes the snapshot."""

from __future__ import annotations

import pytest
from django.urls import reverse

from chuangwen.dashboard.jobs import follow_scoring_runs
from chuangwen.dashboard.models import Snapshot
from chuangwen.dashboard.services import refresh

pytestmark = pytest.mark.django_db
scoring = pytest.importorskip("chuangwen.scoring.services")


def test_a_finished_scoring_run_reaches_the_dashboard(world):
    from chuangwen.scoring.tests.fixtures import scored

    scored(world)  # materials, observations, survey answers and a 部门评价 to grade
    refresh(world.campaign)
    assert follow_scoring_runs() == 0  # no scoring run yet: nothing to follow
    body = world.client("leader").get(reverse("dashboard:index")).content.decode()
    assert 'data-testid="score-not-computed"' in body

    run = scoring.recompute(world.campaign)
    assert follow_scoring_runs() == 1
    assert follow_scoring_runs() == 0  # the snapshot now includes that run
    whole = Snapshot.objects.get(campaign=world.campaign, unit=None)
    scores = whole.data["scores"]
    assert scores["computed"] is True and whole.scoring_computed_at == scores["computed_at"]
    assert {"total", "max", "by_method", "by_aspect", "projection", "league"} <= set(scores)
    body = world.client("leader").get(reverse("dashboard:index")).content.decode()
    assert 'data-testid="score-total"' in body
    from django.utils import timezone

    local = timezone.localtime(run.computed_at).strftime("%Y-%m-%d %H:%M")
    assert f'data-testid="scored-at">Scored {local}<' in body  # local time, not UTC text
    api = world.client("leader").get("/api/dashboard/snapshot").json()
    assert api["data"]["scores"]["total"] == scores["total"]
    street = Snapshot.objects.get(campaign=world.campaign, unit=world.street_a).data["scores"]
    assert "total" not in street and "league" in street


def test_a_run_with_no_scored_input_says_so_instead_of_zero_out_of_zero(world):
    from chuangwen.scoring.summary import dashboard_summary

    scoring.recompute(world.campaign)
    follow_scoring_runs()
    assert not dashboard_summary(world.campaign)["max"]  # a bare campaign: nothing filed or inspected
    body = world.client("leader").get(reverse("dashboard:index")).content.decode()
    assert 'data-testid="score-no-data"' in body and 'data-testid="score-total"' not in body


def test_a_streets_league_lists_its_own_units_even_when_the_city_top_twenty_are_elsewhere(world):
    from chuangwen.org.models import Unit, UnitKind
    from chuangwen.scoring.models import UnitLoss

    run = scoring.recompute(world.campaign)
    # 25 communities of street B lose more than anything in street A.
    heavy = [
        Unit.objects.create(
            name=f"柳岸{n}社区", code=f"S-B-H{n}", kind=UnitKind.COMMUNITY, parent=world.street_b
        )
        for n in range(25)
    ]
    rows = [UnitLoss(run=run, unit=unit, lost=10.0 + n, rank=0) for n, unit in enumerate(heavy)]
    rows.append(UnitLoss(run=run, unit=world.community_a, lost=0.5, rank=0))
    rows.sort(key=lambda row: -row.lost)
    for rank, row in enumerate(rows, start=1):
        row.rank = rank
    UnitLoss.objects.bulk_create(rows)
    refresh(world.campaign)

    whole = Snapshot.objects.get(campaign=world.campaign, unit=None).data["scores"]["league"]
    assert len(whole) == 20 and world.community_a.pk not in {row["unit_id"] for row in whole}
    street_a = Snapshot.objects.get(campaign=world.campaign, unit=world.street_a).data["scores"]
    assert [row["unit_id"] for row in street_a["league"]] == [world.community_a.pk]
    assert street_a["lost"] == 0.5
    street_b = Snapshot.objects.get(campaign=world.campaign, unit=world.street_b).data["scores"]
    assert len(street_b["league"]) == 20 and street_b["lost"] == sum(10.0 + n for n in range(25))
