"""How a campaign's score is reached from its inputs."""

from __future__ import annotations

from decimal import Decimal

import pytest

from chuangwen.scoring import services
from chuangwen.scoring.models import IndicatorScore, LostPoint, UnitLoss, WhatIf
from chuangwen.scoring.summary import dashboard_summary
from chuangwen.scoring.tests.fixtures import scored

pytestmark = pytest.mark.django_db


def _score(run, indicator) -> IndicatorScore:
    return IndicatorScore.objects.get(run=run, indicator=indicator)


def test_each_method_is_graded_from_its_inputs(world):
    s = scored(world)
    run = services.recompute(world.campaign, actor=world.office, draws=0)
    materials = _score(run, s.materials)  # 1 of 2 units filed: 50 % → C → 33 % of 4
    assert (materials.grade, materials.earned, materials.max_points) == ("C", 1.32, 4.0)
    field = _score(run, s.field)  # 1 of 2 points on the checklist → C
    assert (field.grade, field.earned) == ("C", 0.99)
    survey = _score(run, s.survey)  # 28 of 40 = 70 % < 80 % → C
    assert (survey.grade, survey.earned) == ("C", 0.66)
    department = _score(run, s.department)  # 96 against ≥98 / ≥95 → B
    assert (department.grade, department.earned) == ("B", 1.32)


def test_an_indicator_without_inputs_shows_no_data_not_zero(world):
    s = scored(world)
    run = services.recompute(world.campaign, draws=0)
    phone = _score(run, s.phone)
    assert phone.no_data and phone.earned is None and phone.max_points == 0
    assert phone.full_points == 1.0


def test_the_total_weights_methods_and_gives_the_minors_system_its_share(world):
    scored(world)
    run = services.recompute(world.campaign, draws=0)
    # city system rate: (25·.33 + 40·.33 + 15·.33 + 10·.66) / 90 = 0.3667 → 80 % share; minors 100 → 20
    assert run.total == pytest.approx(80 * 33 / 90 + 20, abs=0.01)
    assert run.max_total == 100.0
    assert not run.barred
    assert run.config.version == 1


def test_a_minors_score_below_the_gate_bars_the_title(world):
    s = scored(world)
    s.minors_item.department_evaluations.update(grade="C")
    run = services.recompute(world.campaign, draws=0)
    assert run.barred and run.summary["barred_reasons"] == ["minors"]
    assert run.summary["minors_score"] == 33.0


def test_aspects_roll_up_from_their_items(world):
    s = scored(world)
    run = services.recompute(world.campaign, draws=0)
    aspect = _score(run, s.aspect)
    assert aspect.earned == pytest.approx(1.32 + 0.99 + 0.66 + 1.32)
    assert aspect.max_points == 11.0 and aspect.full_points == 12.0


def test_lost_points_are_attributed_to_the_units_that_own_them(world):
    s = scored(world)
    run = services.recompute(world.campaign, draws=0)
    materials = LostPoint.objects.get(run=run, indicator=s.materials)
    assert materials.unit == world.street_b and materials.role == "material"
    assert materials.lost == pytest.approx(4 - 1.32)
    field = LostPoint.objects.get(run=run, indicator=s.field)
    assert field.unit == world.street_a and field.role == "problem"  # the open problem's unit
    survey = LostPoint.objects.get(run=run, indicator=s.survey)
    assert survey.unit == world.community_b and survey.role == "area"
    department = LostPoint.objects.get(run=run, indicator=s.department)
    assert department.unit == world.department and department.role == "task"
    league = list(UnitLoss.objects.filter(run=run).order_by("rank").values_list("unit__code", flat=True))
    assert league[0] == "S-B"  # 2.68 lost on materials


def test_what_if_ranks_fixes_by_the_points_they_would_gain(world):
    s = scored(world)
    run = services.recompute(world.campaign, draws=0)
    rows = list(WhatIf.objects.filter(run=run).order_by("rank"))
    kinds = {r.kind for r in rows}
    assert {"material", "problem", "survey_area"} <= kinds
    material = next(r for r in rows if r.kind == "material")
    assert material.unit == world.street_b and material.indicator_gain == pytest.approx(4 - 1.32)
    assert [r.gain for r in rows] == sorted((r.gain for r in rows), reverse=True)
    problem = next(r for r in rows if r.kind == "problem")
    assert problem.ref["observation"] == s.observation_failed.pk


def test_negative_events_deduct_or_disqualify(world):
    s = scored(world)
    base = services.recompute(world.campaign, draws=0).total
    services.record_negative_event(
        world.campaign,
        s.negative,
        occurred_on="2026-01-05",
        note="照片重复使用",
        unit=world.street_a,
        actor=world.office,
    )
    run = services.recompute(world.campaign, draws=0)
    assert run.total == pytest.approx(base - 2, abs=0.01)
    assert LostPoint.objects.filter(run=run, role="negative", unit=world.street_a).exists()
    disqualifying = s.system.negative_items.get(sanction="disqualify")
    services.record_negative_event(
        world.campaign, disqualifying, occurred_on="2026-01-06", note="x", actor=world.office
    )
    assert services.recompute(world.campaign, draws=0).barred


def test_bonus_is_capped_per_rule_and_overall(world):
    scored(world)
    config = services.current_config(world.campaign)
    values = {f: getattr(config, f) for f in services.CONFIG_FIELDS}
    values["bonus_rules"] = [{"code": "honour", "name": "荣誉称号", "points": 1, "cap": 2}]
    services.save_config(world.campaign, values, actor=world.office)
    base = services.recompute(world.campaign, draws=0).total
    for title in ("全国文明单位", "全国文明家庭", "全国道德模范"):
        services.record_bonus(world.campaign, rule_code="honour", title=title, actor=world.office)
    assert services.recompute(world.campaign, draws=0).total == pytest.approx(base + 2, abs=0.01)


def test_the_projection_gives_a_mean_and_a_90_percent_interval(world):
    scored(world)
    run = services.recompute(world.campaign, draws=2000)
    p = run.projection
    assert p["draws"] == 2000 and p["low"] <= p["mean"] <= p["high"]
    assert p["quotas"] == {"ZCGD": 1}


def test_the_dashboard_summary_reads_the_latest_run(world, django_assert_max_num_queries):
    assert dashboard_summary(world.campaign) is None
    scored(world)
    run = services.recompute(world.campaign, draws=500)
    with django_assert_max_num_queries(3):
        summary = dashboard_summary(world.campaign)
    assert summary["total"] == run.total and summary["max"] == 100.0 and summary["barred"] is False
    assert {m["method"] for m in summary["by_method"]} == {"materials", "field", "survey", "department"}
    assert sum(m["max"] for m in summary["by_method"]) == pytest.approx(80)
    assert summary["by_aspect"][0]["code"] == "1"
    assert summary["projection"]["draws"] == 500
    assert summary["league"][0] == {
        "unit_id": world.street_b.pk,
        "unit": "柳岸街道",
        "lost": pytest.approx(2.68),
    }
    assert Decimal(str(summary["league"][0]["lost"])) > 0
