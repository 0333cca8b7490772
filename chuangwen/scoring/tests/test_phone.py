"""The telephone check (电话核验) graded from the 12345 hotline's work orders of the territory."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from chuangwen.indicators.models import GradeBand
from chuangwen.problems import services as problem_services
from chuangwen.problems.models import Problem, Source
from chuangwen.problems.tests.factories import photo, problem_in_street_a
from chuangwen.scoring import services
from chuangwen.scoring.models import IndicatorScore, LostPoint, WhatIf
from chuangwen.scoring.tests.fixtures import scored

pytestmark = pytest.mark.django_db


def _hotline(world, unit, *, overdue: bool = False, closed: bool = False, **extra) -> Problem:
    problem = problem_in_street_a(world, source=Source.HOTLINE_12345, unit=unit, **extra)
    if overdue:
        Problem.objects.filter(pk=problem.pk).update(deadline=timezone.now() - dt.timedelta(days=1))
    if closed:
        problem = problem_services.accept(problem, world.office)
        problem = problem_services.submit(problem, world.office, measures="已处理", photos=[photo()])
        problem = problem_services.verify(problem, world.inspector, passed=True)
    return problem


def _orders(world) -> None:
    """Street A closed its two orders; street B left one overdue; one more of B is not yet due;
    an overdue inspection problem is no hotline order."""
    _hotline(world, world.street_a, closed=True)
    _hotline(world, world.community_a, closed=True)
    _hotline(world, world.street_b, overdue=True)
    _hotline(world, world.street_b)
    problem_in_street_a(world, unit=world.street_b)
    Problem.objects.filter(source=Source.INSPECTION).update(deadline=timezone.now() - dt.timedelta(days=1))


def test_the_telephone_check_is_graded_by_the_hotlines_closure_rate(world):
    s = scored(world)
    _orders(world)
    run = services.recompute(world.campaign, draws=0)
    phone = IndicatorScore.objects.get(run=run, indicator=s.phone)
    # 2 of 3 due closed = 66.7 % → below the default cut for B (75 %) → C: 33 % of 1 point.
    assert (phone.grade, phone.earned, phone.max_points) == ("C", 0.33, 1.0)
    lost = LostPoint.objects.filter(run=run, indicator=s.phone)
    assert [(row.unit_id, row.lost) for row in lost] == [(world.street_b.pk, 0.67)]
    fix = WhatIf.objects.get(run=run, indicator=s.phone)
    assert fix.unit_id == world.street_b.pk and fix.indicator_gain == pytest.approx(0.67)


def test_the_indicators_bands_written_in_percent_grade_the_rate(world):
    s = scored(world)
    _orders(world)
    for grade, comparator, value in (("A", "≥", 99), ("B", "≥", 60), ("C", "<", 60)):
        GradeBand.objects.create(
            indicator=s.phone,
            grade=grade,
            comparator=comparator,
            value=value,
            expression=f"{comparator}{value}%",
        )
    run = services.recompute(world.campaign, draws=0)
    phone = IndicatorScore.objects.get(run=run, indicator=s.phone)
    assert (phone.grade, phone.earned) == ("B", 0.66)


def test_explain_shows_the_hotline_figures_and_who_left_orders_open(world):
    s = scored(world)
    _orders(world)
    services.recompute(world.campaign, draws=0)
    page = world.client("office").get(reverse("scoring:explain", args=[s.phone.pk])).content.decode()
    assert "12345 work orders" in page and "2 of 3 due closed" in page and "(66.7%)" in page
    assert "柳岸街道" in page and "1 still open" in page
    overdue = f"/problems/?source=hotline_12345&amp;unit={world.street_b.pk}&amp;status=overdue"
    assert overdue in page
    listed = world.client("office").get(overdue.replace("&amp;", "&")).content.decode()
    hotline_b = Problem.objects.filter(source=Source.HOTLINE_12345, unit=world.street_b).order_by("deadline")
    late, not_due = hotline_b[0], hotline_b[1]
    assert reverse("problems:detail", args=[late.pk]) in listed
    assert reverse("problems:detail", args=[not_due.pk]) not in listed
    # Street A's liaison does not see street B's orders.
    page = world.client("liaison_a").get(reverse("scoring:explain", args=[s.phone.pk])).content.decode()
    assert "柳岸街道" not in page and "2 of 3 due closed" in page


def test_without_hotline_orders_the_telephone_check_has_no_data(world):
    s = scored(world)
    _hotline(world, world.street_b)  # not due yet
    run = services.recompute(world.campaign, draws=0)
    assert IndicatorScore.objects.get(run=run, indicator=s.phone).no_data


def test_a_hotline_order_queues_a_recompute_and_other_problems_do_not(
    world, django_capture_on_commit_callbacks
):
    from chuangwen.scoring.models import ScoreRun, Trigger

    scored(world)
    with django_capture_on_commit_callbacks(execute=True):
        problem_in_street_a(world)  # an inspection problem
    assert not ScoreRun.objects.filter(campaign=world.campaign, trigger=Trigger.INPUT).exists()
    with django_capture_on_commit_callbacks(execute=True):
        _hotline(world, world.street_b)
    assert ScoreRun.objects.filter(campaign=world.campaign, trigger=Trigger.INPUT).exists()


def _close(world, problem: Problem) -> None:
    problem = problem_services.accept(problem, world.office)
    problem = problem_services.submit(problem, world.office, measures="已处理", photos=[photo()])
    problem_services.verify(problem, world.inspector, passed=True)


@pytest.mark.parametrize("measure, grade", [("办结率", "A"), ("按期办结率", "B")])
def test_the_bands_grade_the_figure_they_name(world, measure, grade):
    """Street B's overdue order is closed late: 办结率 3 of 3 due (100 %), 按期办结率 2 of 3 (66.7 %)."""
    s = scored(world)
    _orders(world)
    late = Problem.objects.get(source=Source.HOTLINE_12345, unit=world.street_b, deadline__lt=timezone.now())
    _close(world, late)
    for band_grade, comparator, value in (("A", "≥", 99), ("B", "≥", 60), ("C", "<", 60)):
        GradeBand.objects.create(
            indicator=s.phone,
            grade=band_grade,
            measure=measure,
            comparator=comparator,
            value=value,
            expression=f"{measure}{comparator}{value}%",
        )
    run = services.recompute(world.campaign, draws=0)
    phone = IndicatorScore.objects.get(run=run, indicator=s.phone)
    assert phone.grade == grade
    figures = phone.explain["parts"][0]["inputs"][0]
    assert (figures["due"], figures["closed"], figures["on_time"]) == (3, 3, 2)
