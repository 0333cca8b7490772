"""The score pages and API as the office, leaders and units see them."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from chuangwen.scoring.models import DepartmentEvaluation, ScoreRun, ScoringConfig
from chuangwen.scoring.tests.fixtures import scored, scored_run

pytestmark = pytest.mark.django_db


def test_the_overview_shows_total_methods_systems_and_projection(world):
    run = scored_run(world)
    page = world.client("office").get(reverse("scoring:overview")).content.decode()
    assert f"{run.total:.2f}" in page
    assert "Field inspection" in page and "未成年人思想道德建设测评体系" in page
    assert "90% interval" in page and "Recompute now" in page


def test_the_overview_shows_barred_when_the_minors_gate_fails(world):
    s = scored(world)
    s.minors_item.department_evaluations.update(grade="C#")
    world.client("office").post(reverse("scoring:recompute"))
    page = world.client("leader").get(reverse("scoring:overview")).content.decode()
    assert 'data-testid="barred"' in page and "is below 85" in page


def test_the_tree_shows_grades_and_no_data(world):
    scored_run(world)
    page = world.client("liaison_a").get(reverse("scoring:tree")).content.decode()
    assert "1.1.5" in page and "no data" in page and ">C<" in page


def test_explain_lists_inputs_with_links_and_what_cost_points(world):
    s = scored_run(world) and scored(world)
    page = world.client("office").get(reverse("scoring:explain", args=[s.materials.pk])).content.decode()
    assert reverse("materials:requirement", args=[s.requirement.pk]) in page
    assert "Inputs that cost points" in page and "柳岸街道" in page
    page = world.client("office").get(reverse("scoring:explain", args=[s.field.pk])).content.decode()
    assert reverse("problems:detail", args=[s.problem.pk]) in page
    page = world.client("office").get(reverse("scoring:explain", args=[s.phone.pk])).content.decode()
    assert 'data-testid="no-data"' in page


def test_a_unit_sees_only_its_own_units_inputs_in_explain(world):
    s = scored_run(world) and scored(world)
    page = world.client("liaison_a").get(reverse("scoring:explain", args=[s.materials.pk])).content.decode()
    assert "柳岸街道" not in page and "not shown" in page
    data = world.client("liaison_a").get(f"/api/scoring/indicators/{s.materials.pk}").json()
    units = {e.get("unit") for p in data["parts"] for e in p["inputs"] + p["costs"]}
    assert world.street_b.pk not in units


def test_the_league_is_scoped_for_a_unit_and_whole_for_the_office(world):
    scored_run(world)
    office = world.client("office").get("/api/scoring/league").json()
    assert [r["unit"] for r in office][:1] == ["柳岸街道"]
    mine = world.client("liaison_a").get("/api/scoring/league").json()
    assert all(r["unit_id"] in (world.street_a.pk, world.community_a.pk) for r in mine)
    page = world.client("office").get(reverse("scoring:unit", args=[world.street_b.pk])).content.decode()
    assert "1.1.1" in page and "Material owed" in page


def test_what_if_lists_fixes_by_gain(world):
    scored_run(world)
    page = world.client("office").get(reverse("scoring:what_if")).content.decode()
    assert "Missing material" in page and "Open problem" in page
    rows = world.client("office").get("/api/scoring/what-if?kind=survey_area").json()
    assert rows and all(r["kind"] == "survey_area" for r in rows)


def test_the_config_page_saves_a_new_version(world):
    client = world.client("office")
    form = client.get(reverse("scoring:config")).context["form"]
    data = {k: ("" if v is None else v) for k, v in form.initial.items()}
    data.update(w_field=50, note="加大实地考察权重")
    response = client.post(reverse("scoring:config"), data)
    assert response.status_code == 302
    latest = ScoringConfig.objects.filter(campaign=world.campaign).order_by("-version").first()
    assert latest.version == 2 and latest.weights["default"]["field"] == 50
    page = client.get(reverse("scoring:config_version", args=[latest.pk])).content.decode()
    assert "50" in page


def test_the_config_page_explains_bad_json(world):
    client = world.client("office")
    data = {
        k: ("" if v is None else v)
        for k, v in client.get(reverse("scoring:config")).context["form"].initial.items()
    }
    data["bonus_rules"] = "[{oops"
    response = client.post(reverse("scoring:config"), data)
    assert response.status_code == 200 and "Not valid JSON" in response.content.decode()
    assert ScoringConfig.objects.count() == 1


def test_a_leader_reads_the_rules_but_cannot_change_them(world):
    assert world.client("leader").get(reverse("scoring:config")).status_code == 200
    assert world.client("leader").post(reverse("scoring:config"), {}).status_code == 403


def test_the_office_enters_a_department_evaluation_with_evidence(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    s = scored(world)
    client = world.client("office")
    response = client.post(
        reverse("scoring:department_edit", args=[s.department.pk]),
        {
            "value": "99.1",
            "note": "省农业农村厅评价",
            "evidence": SimpleUploadedFile("评价.pdf", b"%PDF-1.4 x"),
        },
    )
    assert response.status_code == 302
    evaluation = DepartmentEvaluation.objects.get(indicator=s.department)
    assert str(evaluation.value) == "99.1000" and evaluation.evidence
    page = client.get(reverse("scoring:department_list")).content.decode()
    assert "99.1" in page


def test_an_evidence_file_that_is_not_what_its_name_says_is_refused_and_nothing_is_saved(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    s = scored(world)
    before = DepartmentEvaluation.objects.filter(indicator=s.department).count()
    response = world.client("office").post(
        reverse("scoring:department_edit", args=[s.department.pk]),
        {"value": "99.1", "note": "x", "evidence": SimpleUploadedFile("评价.pdf", b"MZ\x90\x00 not a pdf")},
    )
    assert response.status_code == 200 and response.context["form"].errors["evidence"]
    assert DepartmentEvaluation.objects.filter(indicator=s.department).count() == before


def test_the_api_summary_is_empty_before_the_first_run_and_full_after(world):
    client = world.client("office")
    assert client.get("/api/scoring/summary").status_code == 204
    run = scored_run(world)
    data = client.get("/api/scoring/summary").json()
    assert data["total"] == run.total and data["projection"]["draws"] == 200
    assert {"by_method", "by_aspect", "league", "barred", "max", "computed_at"} <= set(data)


def test_the_api_config_refuses_bad_rules_with_a_clear_message(world):
    response = world.client("office").post(
        "/api/scoring/config",
        json.dumps({"weights": {"default": {"field": 1}}, "grade_cuts": {"A": 0.2, "B": 0.9, "C": 0}}),
        content_type="application/json",
    )
    assert response.status_code == 400 and "Grade cuts" in response.json()["detail"]


def test_the_api_recompute_records_the_config_version(world):
    scored(world)
    data = world.client("office").post("/api/scoring/recompute").json()
    assert data["config_version"] == 1 and ScoreRun.objects.get().pk == data["id"]


def test_the_overview_reads_in_chinese(world, chinese):
    # The scoring msgids' Chinese is merged into django.po by the lead (see /tmp/cw-tr);
    # the method names come from the indicators app's catalogue.
    scored_run(world)
    page = world.client("office").get(reverse("scoring:overview")).content.decode()
    assert 'lang="zh-hans"' in page and "实地考察" in page and "Field inspection" not in page
