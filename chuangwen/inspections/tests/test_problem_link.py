"""End to end: a failed checklist item becomes one problem for the point's responsible unit."""

from __future__ import annotations

import pytest
from django.apps import apps

from chuangwen.inspections import problem_link, services
from chuangwen.inspections.models import Observation
from chuangwen.points.tests.fixtures import jpeg

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not apps.is_installed("chuangwen.problems"), reason="the problems app is not installed"
    ),
]


def fail_item(world, rp, number, key="", **extra):
    item = rp.point.point_type.items.get(number=number)
    entry = services.Entry(item.pk, extra.pop("result", "fail"), photos=extra.pop("photos", []), **extra)
    services.record(rp, [entry], world.inspector, 30.2742, 120.1551, key=key)
    return Observation.objects.get(round_point=rp, item=item)


def test_a_failed_item_files_a_problem_for_the_points_unit_with_its_photo(
    world, inspection, django_capture_on_commit_callbacks
):
    from chuangwen.problems.models import Problem, Source

    with django_capture_on_commit_callbacks(execute=True):
        observation = fail_item(
            world, inspection.rp, 5, occurrences=2, note="占道经营两处", photos=[jpeg(colour=(9, 9, 9))]
        )
    observation.refresh_from_db()
    problem = Problem.objects.get(pk=observation.problem_id)
    assert problem.unit == world.street_a
    assert problem.source == Source.INSPECTION
    assert problem.point_ref == f"P{inspection.rp.point_id}"
    assert "松林大道" in problem.description and "占道经营两处" in problem.description
    assert observation.item.text in problem.description
    assert problem.photos.count() == 1
    assert (problem.lat, problem.lng) == (30.2742, 120.1551)


def test_saving_the_failed_item_again_files_no_second_problem(
    world, inspection, django_capture_on_commit_callbacks
):
    from chuangwen.problems.models import Problem

    for note in ("first", "second"):
        with django_capture_on_commit_callbacks(execute=True):
            fail_item(world, inspection.rp, 6, note=note)
    assert Problem.objects.count() == 1


def test_a_passed_item_files_nothing(world, inspection, django_capture_on_commit_callbacks):
    from chuangwen.problems.models import Problem

    with django_capture_on_commit_callbacks(execute=True):
        fail_item(world, inspection.rp, 2, result="pass")
    assert not Problem.objects.exists()


def test_nothing_is_filed_when_the_save_is_rolled_back(world, inspection, django_capture_on_commit_callbacks):
    from chuangwen.problems.models import Problem

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        fail_item(world, inspection.rp, 3)
    assert len(callbacks) == 1 and not Problem.objects.exists()  # only after the commit


def test_missing_problems_can_be_filed_again_later(world, inspection, django_capture_on_commit_callbacks):
    from chuangwen.problems.models import Problem

    with django_capture_on_commit_callbacks(execute=False):
        observation = fail_item(world, inspection.rp, 4)
    assert problem_link.file_missing_problems(inspection.round, world.office) == 1
    assert problem_link.file_missing_problems(inspection.round, world.office) == 0
    observation.refresh_from_db()
    assert Problem.objects.get().pk == observation.problem_id


def test_the_problem_category_follows_the_words_of_the_item():
    from chuangwen.points.models import ChecklistItem

    cables = ChecklistItem.objects.get(point_type__code="XQ", number=4)  # 无飞线充电…
    assert "飞线" in problem_link.category_for(cables).name


def test_a_point_ref_resolves_to_the_points_responsible_unit(world, field):
    info = problem_link.resolve_point(f"P{field.point.pk}")
    assert info.unit_id == world.street_a.pk and info.name == "松林大道"
    assert problem_link.resolve_point("SL-001").unit_id == world.street_a.pk
    assert problem_link.resolve_point("nothing") is None


def test_the_report_link_on_a_points_page_files_the_problem_for_the_points_unit(world, inspection):
    """The QR sheet opens the point's page; its report link prefills the point, which routes."""
    from chuangwen.problems.models import Problem, RoutedBy
    from chuangwen.problems.tests.factories import category

    point = inspection.rp.point
    client = world.client("inspector")
    page = client.get(f"/points/{point.pk}/")
    link = f"/problems/report/?point_ref=P{point.pk}"
    assert link in page.content.decode()
    form = client.get(link)
    assert f'value="P{point.pk}"' in form.content.decode()
    assert point.name in form.content.decode()
    response = client.post(
        "/problems/report/",
        {
            "category": category().pk,
            "description": "井盖缺失",
            "point_ref": f"P{point.pk}",
            "source": "patrol",
            "urgency": "normal",
            "idempotency_key": "qr-1",
        },
    )
    problem = Problem.objects.get()
    assert response.status_code == 302 and response.url == f"/problems/{problem.pk}/"
    assert problem.unit_id == point.unit_id and problem.routed_by == RoutedBy.POINT
