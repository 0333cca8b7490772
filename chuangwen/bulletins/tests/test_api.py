"""The API: generate (idempotent), status, detail, edit, publish, download; and the OpenAPI document."""

from __future__ import annotations

import json

import pytest

from chuangwen.api import api as ninja_api
from chuangwen.bulletins.models import Bulletin
from chuangwen.bulletins.tests.factories import sample_problems, today_period

pytestmark = pytest.mark.django_db


def _post(client, url, data=None):
    return client.post(url, json.dumps(data or {}), content_type="application/json")


def test_generate_twice_with_the_same_period_makes_one_bulletin(world, django_capture_on_commit_callbacks):
    sample_problems(world)
    start, end = today_period()
    client = world.client("office")
    payload = {"campaign_id": world.campaign.pk, "start": str(start), "end": str(end)}
    with django_capture_on_commit_callbacks(execute=True):
        first = _post(client, "/api/bulletins/generate", payload)
    # Asked again (a client retrying, a second click): the same draft, regenerated.
    with django_capture_on_commit_callbacks(execute=True):
        second = _post(client, "/api/bulletins/generate", payload)
    assert first.status_code == second.status_code == 202
    assert first.json()["id"] == second.json()["id"] and Bulletin.objects.count() == 1
    status = client.get(f"/api/bulletins/{first.json()['id']}/status").json()
    assert status["job_state"] == "done" and status["progress"] == 100 and status["files_ready"]


def test_the_whole_flow_through_the_api(world, django_capture_on_commit_callbacks):
    sample_problems(world)
    start, end = today_period()
    client = world.client("office")
    with django_capture_on_commit_callbacks(execute=True):
        pk = _post(
            client,
            "/api/bulletins/generate",
            {"campaign_id": world.campaign.pk, "start": str(start), "end": str(end)},
        ).json()["id"]
    with django_capture_on_commit_callbacks(execute=True):
        edited = client.patch(
            f"/api/bulletins/{pk}", json.dumps({"highlights": "亮点"}), content_type="application/json"
        )
    assert edited.status_code == 200 and edited.json()["highlights"] == "亮点"
    with django_capture_on_commit_callbacks(execute=True):
        published = _post(client, f"/api/bulletins/{pk}/publish")
    assert published.status_code == 200 and published.json()["number"] == 1
    detail = client.get(f"/api/bulletins/{pk}").json()
    assert detail["content"]["summary"]["total"] == 3
    pdf = client.get(f"/api/bulletins/{pk}/download/pdf")
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert client.get(f"/api/bulletins/{pk}/download/xls").status_code == 404
    listed = world.client("liaison_a").get("/api/bulletins/").json()
    assert [b["id"] for b in listed["items"]] == [pk]
    assert _post(client, f"/api/bulletins/{pk}/publish").status_code == 400


def test_bad_input_gets_a_clear_error_and_nothing_is_written(world):
    client = world.client("office")
    response = _post(
        client,
        "/api/bulletins/generate",
        {"campaign_id": world.campaign.pk, "start": "2026-05-02", "end": "2026-05-01"},
    )
    assert response.status_code == 400 and "ends before it starts" in response.json()["detail"]
    assert not Bulletin.objects.exists()


def test_the_routes_are_in_the_openapi_document():
    paths = ninja_api.get_openapi_schema()["paths"]
    for path in (
        "/api/bulletins/",
        "/api/bulletins/generate",
        "/api/bulletins/{bulletin_id}",
        "/api/bulletins/{bulletin_id}/status",
        "/api/bulletins/{bulletin_id}/publish",
        "/api/bulletins/{bulletin_id}/download/{fmt}",
    ):
        assert path in paths, path
    assert "delete" in paths["/api/bulletins/{bulletin_id}"]


def test_a_draft_is_discarded_through_the_api_and_a_published_one_is_not(world):
    from chuangwen.bulletins.tests.factories import draft

    client = world.client("office")
    bulletin = draft(world)
    assert client.delete(f"/api/bulletins/{bulletin.pk}").status_code == 204
    assert not Bulletin.objects.exists()
    assert client.delete(f"/api/bulletins/{bulletin.pk}").status_code == 404
    assert world.client("leader").delete(f"/api/bulletins/{draft(world).pk}").status_code == 403
