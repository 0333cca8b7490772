"""Rates say what they count: one counting of problems (problems.rates) read by the rates page,
the API, the dashboard, the bulletin and the scoring; the office chooses per campaign whether
the rectification rate divides by the problems due (default) or by every problem found (seed
002: "1200多个问题…整改率只有82%"), and every place names its denominator."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from chuangwen.bulletins.content import default_texts, gather
from chuangwen.bulletins.tests.factories import closed_problem, draft, overdue_problem
from chuangwen.campaigns.models import Campaign, RateBasis
from chuangwen.dashboard.services import build
from chuangwen.problems import rates
from chuangwen.problems import services as problem_services
from chuangwen.problems.models import Problem, Source, Status
from chuangwen.problems.tests.factories import photo, problem_in_street_a
from chuangwen.scoring.inputs import _hotline

pytestmark = pytest.mark.django_db


def _edge_cases(world) -> None:
    """Street A, all 12345 orders: closed on time, closed late, overdue, not yet due, a
    duplicate (overdue, never counted) and a not-applicable one (never counted)."""
    hotline = {"source": Source.HOTLINE_12345}
    closed_problem(world, **hotline)
    late = overdue_problem(world, world.street_a, **hotline)  # rectified after its deadline
    late = problem_services.accept(late, world.liaison_a)
    late = problem_services.submit(late, world.office, measures="已清理", photos=[photo()])
    problem_services.verify(late, world.inspector, passed=True)
    overdue_problem(world, world.street_a, **hotline)
    problem_in_street_a(world, **hotline)  # not yet due
    for status in (Status.DUPLICATE, Status.NOT_APPLICABLE):
        extra = overdue_problem(world, world.street_a, **hotline)
        Problem.objects.filter(pk=extra.pk).update(status=status)


def _use(world, basis: str) -> None:
    Campaign.objects.filter(pk=world.campaign.pk).update(rate_basis=basis)
    world.campaign.refresh_from_db()


def test_the_default_rate_is_closed_of_due_and_leaves_out_duplicates_and_not_applicable(world):
    _edge_cases(world)
    _rows, total = rates.rates(world.office, "unit")
    assert (total.total, total.due, total.closed, total.on_time, total.overdue) == (4, 3, 2, 1, 1)
    assert (total.rectification_rate, total.on_time_rate) == (66.7, 33.3)
    assert total.describe == "2 rectified of 3 due"


def test_the_office_may_count_the_rate_over_every_problem_found(world):
    _edge_cases(world)
    office = world.client("office")
    assert office.post(reverse("problems:rate_basis"), {"basis": "found"}).status_code == 302
    world.campaign.refresh_from_db()
    assert world.campaign.rate_basis == RateBasis.FOUND
    page = office.get(reverse("problems:rates"))
    total = page.context["total"]
    assert (total.rectification_rate, total.denominator) == (50.0, 4)
    assert "2 rectified of 4 found" in page.content.decode()
    assert office.post(reverse("problems:rate_basis"), {"basis": "everything"}).status_code == 302
    world.campaign.refresh_from_db()
    assert world.campaign.rate_basis == RateBasis.FOUND  # a bad choice changes nothing
    assert world.client("liaison_a").post(reverse("problems:rate_basis"), {"basis": "due"}).status_code == 403


@pytest.mark.parametrize(
    "basis, rate, text", [("due", 66.7, "2 rectified of 3 due"), ("found", 50.0, "2 rectified of 4 found")]
)
def test_every_place_counts_the_same_and_names_its_denominator(world, basis, rate, text):
    _edge_cases(world)
    _use(world, basis)
    _rows, total = rates.rates(world.office, "unit")
    api = world.client("office").get("/api/problems/rates").json()[-1]
    slices, _run = build(world.campaign)
    dash = slices[None]["problems"]
    bulletin = draft(world)
    content = gather(bulletin)
    summary = content["summary"]
    hotline = _hotline(world.campaign)[world.street_a.pk]
    assert (total.rectification_rate, total.describe) == (rate, text)
    assert (api["rectification_rate"], api["rate_text"], api["basis"]) == (rate, text, basis)
    assert (dash["rectification_rate"], dash["rate_text"]) == (rate, text)
    assert (summary["rate"], summary["rate_text"]) == (rate, text)
    assert (hotline.total, hotline.due, hotline.closed, hotline.on_time) == (4, 3, 2, 1)
    lead = default_texts(bulletin, content)["lead"]
    assert f"The rectification rate is {rate}% ({text})" in lead


def test_the_dashboard_trend_plots_the_chosen_denominator(world):
    _edge_cases(world)
    _use(world, "found")
    slices, _run = build(world.campaign)
    this_month = slices[None]["problems"]["monthly"][-1]
    assert (this_month["denominator"], this_month["due"], this_month["rate"]) == (4, 3, 50.0)


def test_a_problem_not_yet_due_counts_only_once_it_falls_due(world):
    problem_in_street_a(world)
    later = timezone.now() + dt.timedelta(days=30)
    _rows, now = rates.rates(world.office, "unit")
    _rows, then = rates.rates(world.office, "unit", as_of=later)
    assert (now.due, now.rectification_rate, now.describe) == (0, None, "0 rectified of 0 due")
    assert (then.due, then.rectification_rate) == (1, 0.0)
