import datetime as dt

from django.utils import timezone

from chuangwen.tasks.models import Cadence, ProgressReport
from chuangwen.tasks.tests.fixtures import make_task


def test_the_task_list_filters_by_method_and_state_and_annotates_both(world):
    make_task(world, title="材料", method="materials")
    make_task(world, title="实地", method="field", cadence=Cadence.MONTHLY, deadline=None)
    body = world.client("office").get("/api/tasks/", {"method": "field"}).json()
    assert [t["title"] for t in body["items"]] == ["实地"]
    assert body["items"][0]["state"] == "not_started"
    assert body["items"][0]["assignments"][0]["unit_name"] == "松林街道"


def test_my_tasks_come_nearest_first(world):
    today = timezone.localdate()
    make_task(world, title="远", deadline=today + dt.timedelta(days=9))
    make_task(world, title="近", deadline=today + dt.timedelta(days=1))
    body = world.client("liaison_a").get("/api/tasks/mine").json()
    assert [t["title"] for t in body["items"]] == ["近", "远"]


def test_the_task_detail_includes_milestones_and_the_schedule(world):
    task = make_task(world, arrangements="4月：开会")
    task.milestones.create(seq=1, month=dt.date(2026, 4, 1), label="4月", text="开会")
    body = world.client("liaison_a").get(f"/api/tasks/{task.pk}").json()
    assert body["milestones"][0]["text"] == "开会" and body["cadence"] == "once"


def test_submitting_progress_through_the_api_records_a_report(world):
    task = make_task(world)
    month = timezone.localdate().replace(day=1).isoformat()
    response = world.client("liaison_a").post(
        f"/api/tasks/{task.pk}/reports",
        {"unit_id": world.street_a.pk, "month": month, "text": "已完成宣传"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["is_late"] is False
    assert ProgressReport.objects.get().text == "已完成宣传"


def test_a_unit_cannot_report_for_a_unit_it_does_not_hold(world):
    task = make_task(world)
    task.assignments.create(unit=world.street_b, role="responsible")
    response = world.client("liaison_a").post(
        f"/api/tasks/{task.pk}/reports",
        {"unit_id": world.street_b.pk, "month": timezone.localdate().replace(day=1).isoformat(), "text": "x"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert not ProgressReport.objects.exists()


def test_the_tasks_routes_are_in_the_openapi_document(world):
    paths = world.client("office").get("/api/openapi.json").json()["paths"]
    assert {"/api/tasks/", "/api/tasks/mine", "/api/tasks/{task_id}", "/api/tasks/{task_id}/reports"} <= set(
        paths
    )
    assert "/api/indicators/systems/{system_id}/indicators" in paths
