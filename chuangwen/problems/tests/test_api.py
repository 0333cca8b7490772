import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from chuangwen.core.attention import gather
from chuangwen.problems.models import PhotoKind, Problem, Status
from chuangwen.problems.tests.factories import category, jpeg_bytes, problem_in_street_a

pytestmark = pytest.mark.django_db


def post(client, url, data, **headers):
    return client.post(url, json.dumps(data), content_type="application/json", **headers)


def test_a_phone_retrying_the_same_report_gets_the_first_problem_back(world):
    client = world.client("duty_a")
    body = {
        "category_id": category().pk,
        "description": "井边积水",
        "lat": 30.0,
        "lng": 120.0,
        "address": "松林路",
    }
    first = post(client, "/api/problems/", body, HTTP_IDEMPOTENCY_KEY="uuid-1")
    again = post(client, "/api/problems/", body, HTTP_IDEMPOTENCY_KEY="uuid-1")
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["id"] == again.json()["id"]
    assert Problem.objects.count() == 1
    other = post(client, "/api/problems/?check_duplicates=true", body, HTTP_IDEMPOTENCY_KEY="uuid-2")
    assert other.status_code == 201
    assert other.json()["possible_duplicates"] == [first.json()["id"]]


def test_a_work_order_sent_again_under_its_number_is_the_same_problem(world):
    client = world.client("office")
    body = {
        "category_id": category().pk,
        "description": "市民来电：夜市油烟扰民",
        "address": "松林路",
        "source": "hotline_12345",
        "external_ref": "12345-2026-0042",
    }
    first = post(client, "/api/problems/", body, HTTP_IDEMPOTENCY_KEY="hotline-a")
    again = post(client, "/api/problems/", body, HTTP_IDEMPOTENCY_KEY="hotline-b")
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["id"] == again.json()["id"] and Problem.objects.count() == 1
    # The same number from another source is another problem.
    other = post(client, "/api/problems/", {**body, "source": "media"}, HTTP_IDEMPOTENCY_KEY="media-a")
    assert other.status_code == 201 and Problem.objects.count() == 2


def test_an_impossible_position_is_a_clear_400(world):
    body = {"category_id": category().pk, "description": "x", "lat": 0, "lng": 0}
    response = post(world.client("duty_a"), "/api/problems/", body)
    assert response.status_code == 400
    assert response.json()["detail"]


def test_the_whole_loop_through_the_api_with_photos_and_a_stale_version(world):
    problem = problem_in_street_a(world)
    unit = world.client("liaison_a")
    base = f"/api/problems/{problem.pk}"
    accepted = post(unit, f"{base}/accept", {"version": problem.version}).json()
    assert accepted["status"] == Status.ACCEPTED
    stale = post(world.client("unit_admin_a"), f"{base}/return", {"version": problem.version, "reason": "x"})
    assert stale.status_code == 409 and f"#{problem.pk}" in stale.json()["detail"]
    early = post(unit, f"{base}/submit", {"version": accepted["version"], "measures": "已清理"})
    assert early.status_code == 400  # no after-photo yet
    uploaded = unit.post(
        f"{base}/photos", {"kind": PhotoKind.AFTER, "files": [SimpleUploadedFile("a.jpg", jpeg_bytes())]}
    )
    assert uploaded.status_code == 200 and len(uploaded.json()) == 1
    bad = unit.post(
        f"{base}/photos", {"kind": PhotoKind.AFTER, "files": [SimpleUploadedFile("a.jpg", b"<svg/>")]}
    )
    assert bad.status_code == 400
    submitted = post(unit, f"{base}/submit", {"version": accepted["version"], "measures": "已清理"}).json()
    assert submitted["status"] == Status.SUBMITTED
    assert post(unit, f"{base}/verify", {"version": submitted["version"], "passed": True}).status_code == 403
    closed = post(
        world.client("inspector"), f"{base}/verify", {"version": submitted["version"], "passed": True}
    )
    assert closed.json()["status"] == Status.CLOSED
    events = world.client("liaison_a").get(f"{base}/events").json()
    assert [e["kind"] for e in events][-2:] == ["submitted", "verified"]


def test_a_photo_upload_retried_three_times_under_one_key_stores_its_photos_once(world):
    problem = problem_in_street_a(world)
    client = world.client("inspector")
    url = f"/api/problems/{problem.pk}/photos"

    def upload(key):
        files = [SimpleUploadedFile("a.jpg", jpeg_bytes()), SimpleUploadedFile("b.jpg", jpeg_bytes())]
        return client.post(url, {"kind": PhotoKind.BEFORE, "files": files}, HTTP_IDEMPOTENCY_KEY=key)

    answers = [upload("phone-7f3a") for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert answers[0].json() == answers[1].json() == answers[2].json()
    assert problem.photos.count() == 2
    assert len(upload("phone-9b01").json()) == 2 and problem.photos.count() == 4, "a new key is a new upload"
    # The key is per user: another inspector's key of the same text is another upload.
    other = world.client("office").post(
        url,
        {
            "kind": PhotoKind.BEFORE,
            "files": [SimpleUploadedFile("c.jpg", jpeg_bytes())],
            "idempotency_key": "phone-7f3a",
        },
    )
    assert other.status_code == 200 and problem.photos.count() == 5


def test_a_sibling_unit_gets_404_and_a_non_handler_403_on_actions(world):
    problem = problem_in_street_a(world)
    assert (
        post(world.client("liaison_b"), f"/api/problems/{problem.pk}/accept", {"version": 1}).status_code
        == 404
    )
    assert (
        post(world.client("leader"), f"/api/problems/{problem.pk}/accept", {"version": 1}).status_code == 403
    )
    assert world.client("liaison_b").get(f"/api/problems/{problem.pk}").status_code == 404


def test_the_office_dispatches_the_queue_through_the_api(world):
    problem = problem_in_street_a(world, unit=None, address="无名路")
    response = post(
        world.client("office"),
        f"/api/problems/{problem.pk}/dispatch",
        {"version": problem.version, "unit_id": world.street_a.pk, "force": True},
    )
    assert response.status_code == 200
    assert response.json()["unit_id"] == world.street_a.pk and response.json()["forced"] is True
    inbox = world.client("liaison_a").get("/api/problems/inbox").json()["items"]
    assert [p["id"] for p in inbox] == [problem.pk]


def test_home_page_attention_shows_my_inbox_and_what_awaits_verification(world):
    problem = problem_in_street_a(world, urgency="immediate")
    due_soon = [a for a in gather(world.liaison_a) if a.url == "/problems/inbox/" and a.level == "warning"]
    assert [a.count for a in due_soon] == [1]
    queue = problem_in_street_a(world, unit=None, address="无名路")
    assert queue.status == Status.REPORTED
    waiting = [a for a in gather(world.office) if a.url == "/problems/console/"]
    assert [a.count for a in waiting] == [1]
    problem.status = Status.SUBMITTED
    problem.save()
    inspector = [a for a in gather(world.inspector) if a.url == "/problems/inbox/"]
    assert inspector and inspector[0].count == 1


def test_a_category_saved_in_the_admin_reaches_the_api_at_once(world):
    from chuangwen.problems import queries
    from chuangwen.problems.tests.factories import category

    minor = category()
    assert queries.minor_category(minor.pk).name == minor.name
    minor.name = "占道经营（含流动摊贩）"
    minor.save()
    assert queries.minor_category(minor.pk).name == "占道经营（含流动摊贩）"
    assert queries.minor_category(minor.parent_id) is None  # a major category cannot be reported


def test_nearby_shows_a_sibling_units_problem_only_as_category_distance_age_and_status(world):
    """Issue 23: the duplicate check told street B the id and the words of street A's problem."""
    existing = problem_in_street_a(world, description="松林路口占道经营，摊主姓王", lat=30.0, lng=120.0)
    query = {"category_id": category().pk, "lat": 30.0001, "lng": 120.0001}
    sibling = world.client("liaison_b").get("/api/problems/nearby", query)
    assert sibling.status_code == 200
    (entry,) = sibling.json()
    assert entry == {
        "id": None,
        "category": category().name,
        "distance_m": 15,
        "age_hours": 0,
        "status": existing.status,
        "reported_at": None,
        "description": None,
    }
    assert "摊主" not in sibling.content.decode()
    (own,) = world.client("liaison_a").get("/api/problems/nearby", query).json()
    assert own["id"] == existing.pk and own["description"].startswith("松林路口")
    assert own["reported_at"] is not None


def test_reporting_with_a_duplicate_check_counts_other_units_problems_without_naming_them(world):
    problem_in_street_a(world, lat=30.0, lng=120.0)
    body = {"category_id": category().pk, "description": "路口摆摊", "lat": 30.0001, "lng": 120.0001}
    made = post(world.client("liaison_b"), "/api/problems/?check_duplicates=true", body).json()
    assert made["possible_duplicates"] == [] and made["other_duplicates"] == 1
