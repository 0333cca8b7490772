"""The monthly assessment computed from real records, recomputed, published and frozen."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from chuangwen.assessments import services
from chuangwen.assessments.models import AssessmentMonth, DeductionLine, MonthStatus, UnitAssessment
from chuangwen.assessments.tests.fixtures import at, first_of_previous_month, problem, rework
from chuangwen.audit.models import AuditEntry
from chuangwen.core.errors import ConflictError, DomainError
from chuangwen.materials.models import ReviewAction, Submission
from chuangwen.materials.tests.factories import make_requirement
from chuangwen.problems.models import Status, UnitCard

pytestmark = pytest.mark.django_db


def _month():
    return first_of_previous_month()


def _lines(world, month, unit):
    result = UnitAssessment.objects.get(month=month, unit=unit)
    return result, {line.kind: line for line in result.lines.all()}


def _sent_back_at_final(world, unit, when):
    requirement = make_requirement(world, unit)
    submission = Submission.objects.create(requirement=requirement, unit=unit, period="2026Q1", title="活动")
    return ReviewAction.objects.create(
        submission=submission, level="final", decision="send_back", acted_at=when
    )


def test_it_deducts_each_unit_for_its_own_overdue_reworked_sent_back_and_carded_records(world):
    first = _month()
    day = first + dt.timedelta(days=4)
    late = problem(world.street_a, deadline=at(day))  # still running after its deadline
    problem(world.street_a, deadline=at(day), status=Status.SUBMITTED, submitted_at=at(day, 8))  # in time
    problem(world.street_a, deadline=at(day), status=Status.CLOSED, on_time=False, submitted_at=at(day, 15))
    problem(world.street_a, deadline=at(first - dt.timedelta(days=3)))  # the month before: not this one
    reworked = problem(world.community_a)
    rework(reworked, at(day))
    rework(reworked, at(day + dt.timedelta(days=1)))
    review = _sent_back_at_final(world, world.street_a, at(day))
    auto = UnitCard.objects.create(unit=world.street_b, color="red", reason="overdue", issued_at=at(day))
    services.record_card(
        world.campaign, world.street_b, "yellow", "暗访发现问题", world.office, issued_at=at(day)
    )

    month = services.compute_month(world.campaign, f"{first:%Y-%m}", world.office)

    result, lines = _lines(world, month, world.street_a)
    assert lines["overdue"].count == 2 and lines["overdue"].points == Decimal("0.40")
    assert late.pk in lines["overdue"].records["problems"]
    assert lines["final_send_back"].records == {"submissions": [review.submission_id]}
    assert result.score == Decimal("99.10")
    _result, lines_c = _lines(world, month, world.community_a)
    assert lines_c["rework"].count == 2 and lines_c["rework"].records["problems"] == [reworked.pk] * 2
    result_b, lines_b = _lines(world, month, world.street_b)
    assert lines_b["red_card"].records == {"unit_cards": [auto.pk]}
    assert lines_b["yellow_card"].count == 1 and result_b.score == Decimal("97.00")
    # Every assessed unit gets a row; the ranking puts the untouched units first.
    assert UnitAssessment.objects.get(month=month, unit=world.department).rank == 1
    assert not UnitAssessment.objects.filter(month=month, unit=world.office_unit).exists()  # it runs it
    assert result_b.rank > result.rank
    assert AuditEntry.objects.filter(action="assessments.month.compute").exists()


def test_a_cap_limits_what_one_rule_takes_in_a_month(world):
    first = _month()
    for _ in range(8):
        problem(world.street_a, deadline=at(first + dt.timedelta(days=2)))
    config, rules = services.settings_for(world.campaign)
    inputs = [
        services.RuleInput(r.kind, r.points, Decimal("1") if r.kind == "overdue" else None) for r in rules
    ]
    services.save_rules(world.campaign, "100", inputs, world.office)

    month = services.compute_month(world.campaign, first, world.office)

    result, lines = _lines(world, month, world.street_a)
    assert (
        lines["overdue"].count == 8 and lines["overdue"].points == Decimal("1.00") and lines["overdue"].capped
    )
    assert result.score == Decimal("99.00")


def test_recomputing_a_draft_replaces_its_lines_and_a_published_month_is_frozen(world):
    first = _month()
    problem(world.street_a, deadline=at(first + dt.timedelta(days=2)))
    month = services.compute_month(world.campaign, first, world.office)
    problem(world.street_a, deadline=at(first + dt.timedelta(days=5)))
    month = services.compute_month(world.campaign, first, world.office)
    _result, lines = _lines(world, month, world.street_a)
    assert lines["overdue"].count == 2
    assert DeductionLine.objects.filter(assessment__month=month, kind="overdue").count() == 1

    with pytest.raises(ConflictError):
        services.publish_month(month, world.office, version=month.version - 1)
    services.publish_month(month, world.office, version=month.version)
    problem(world.street_a, deadline=at(first + dt.timedelta(days=6)))
    with pytest.raises(DomainError, match="frozen"):
        services.compute_month(world.campaign, first, world.office)
    _result, lines = _lines(world, month, world.street_a)
    assert lines["overdue"].count == 2
    with pytest.raises(DomainError, match="published"):
        services.record_card(world.campaign, world.street_a, "red", "x", world.office, issued_at=at(first))


def test_it_refuses_a_bad_month_a_future_month_and_bad_rules_without_writing(world):
    with pytest.raises(DomainError, match="YYYY-MM"):
        services.compute_month(world.campaign, "2026-13", world.office)
    with pytest.raises(DomainError, match="not begun"):
        services.compute_month(world.campaign, "2999-01", world.office)
    _config, rules = services.settings_for(world.campaign)
    bad = [services.RuleInput(r.kind, "-1" if r.kind == "rework" else r.points) for r in rules]
    with pytest.raises(DomainError):
        services.save_rules(world.campaign, "100", bad, world.office)
    _config, rules = services.settings_for(world.campaign)
    assert {r.kind: r.points for r in rules}["rework"] == Decimal("0.20")
    assert not AssessmentMonth.objects.exists()


def test_units_see_only_their_own_published_results(world):
    first = _month()
    problem(world.street_b, deadline=at(first + dt.timedelta(days=2)))
    month = services.compute_month(world.campaign, first, world.office)
    liaison_a = world.client("liaison_a")
    assert liaison_a.get(reverse("assessments:month", args=[month.pk])).status_code == 404
    services.publish_month(month, world.office)

    page = liaison_a.get(reverse("assessments:month", args=[month.pk]))
    assert page.status_code == 200
    names = [r.unit.name for r in page.context["page"]]
    assert world.street_a.name in names and world.street_b.name not in names
    data = json.loads(liaison_a.get(f"/api/assessments/months/{month.pk}/results").content)
    assert {row["unit_id"] for row in data} <= {world.street_a.pk, world.community_a.pk}
    leader = world.client("leader").get(reverse("assessments:month", args=[month.pk]))
    assert world.street_b.name in [r.unit.name for r in leader.context["page"]]


def test_the_ranking_exports_to_xlsx(world):
    first = _month()
    problem(world.street_a, deadline=at(first + dt.timedelta(days=2)))
    month = services.compute_month(world.campaign, first, world.office)
    response = world.client("office").get(reverse("assessments:export", args=[month.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Rank" and rows[0][-1] == "Score"
    street_a = next(r for r in rows if r[1] == world.street_a.name)
    assert street_a[-1] == pytest.approx(99.8)


def test_the_office_computes_and_publishes_through_the_pages_and_the_api(world):
    office = world.client("office")
    first = _month()
    response = office.post(reverse("assessments:compute"), {"month": f"{first:%Y-%m}"})
    month = AssessmentMonth.objects.get(month=first)
    assert response.status_code == 302 and response.url == reverse("assessments:month", args=[month.pk])
    office.post(reverse("assessments:publish", args=[month.pk]), {"version": month.version})
    month.refresh_from_db()
    assert month.status == MonthStatus.PUBLISHED
    api = office.post(
        "/api/assessments/months", json.dumps({"month": f"{first:%Y-%m}"}), content_type="application/json"
    )
    assert api.status_code == 400 and "frozen" in api.json()["detail"]


def test_the_ranking_page_reads_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    first = _month()
    for unit in (world.street_a, world.street_b, world.community_a, world.community_b):
        problem(unit, deadline=at(first + dt.timedelta(days=2)))
    month = services.compute_month(world.campaign, first, world.office)
    office = world.client("office")
    office.get(reverse("assessments:month", args=[month.pk]))
    with django_assert_max_num_queries(12):
        office.get(reverse("assessments:month", args=[month.pk]))


def test_the_rules_page_saves_and_audits(world):
    office = world.client("office")
    page = office.get(reverse("assessments:rules"))
    assert page.status_code == 200
    data = {"base_score": "90", "unit_kinds": ["street"]}
    for kind in ("overdue", "rework", "final_send_back", "yellow_card", "red_card"):
        data[f"points_{kind}"] = "0.3"
        data[f"active_{kind}"] = "on"
    assert office.post(reverse("assessments:rules"), data).status_code == 302
    config, rules = services.settings_for(world.campaign)
    assert config.base_score == Decimal("90") and config.unit_kinds == ["street"]
    assert all(r.points == Decimal("0.30") for r in rules)
    entry = AuditEntry.objects.filter(action="assessments.rules.update").latest("id")
    assert entry.changes["base_score"] == ["100.00", "90.00"]
    month = services.compute_month(world.campaign, _month(), world.office)
    assert set(month.results.values_list("unit__kind", flat=True)) == {"street"}
