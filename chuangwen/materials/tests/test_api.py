import pytest
from django.utils import timezone

from chuangwen.materials.models import Submission
from chuangwen.materials.tests.factories import make_requirement, materials_of, photo_upload


@pytest.mark.django_db
def test_the_api_files_an_upload_once_per_idempotency_key(world):
    req = make_requirement(world)
    client = world.client("liaison_a")
    form = {
        "requirement_id": req.pk,
        "unit_id": world.street_a.pk,
        "title": "诚信宣传",
        "activity_date": timezone.localdate().isoformat(),
        "organiser": "松林街道",
        "participants": 15,
    }
    first = client.post(
        "/api/materials/submissions",
        {**form, "files": [photo_upload(1), photo_upload(2)]},
        HTTP_IDEMPOTENCY_KEY="api-key-000001",
    )
    assert first.status_code == 201, first.content
    again = client.post(
        "/api/materials/submissions",
        {**form, "files": [photo_upload(1)]},
        HTTP_IDEMPOTENCY_KEY="api-key-000001",
    )
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert Submission.objects.count() == 1


def test_the_api_refuses_a_file_that_is_not_a_photo_with_400(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    req = make_requirement(world)
    response = world.client("liaison_a").post(
        "/api/materials/submissions",
        {
            "requirement_id": req.pk,
            "unit_id": world.street_a.pk,
            "title": "x",
            "activity_date": timezone.localdate().isoformat(),
            "files": [SimpleUploadedFile("a.jpg", b"GIF89a......")],
        },
    )
    assert response.status_code == 400 and "a.jpg" in response.json()["detail"]


def test_a_stale_revision_in_the_api_is_a_409(world):
    m = materials_of(world)
    client = world.client("unit_admin_a")
    url = f"/api/materials/submissions/{m.api_submission.pk}/review"
    ok = client.post(
        url, {"decision": "send_back", "comment": "补充", "revision": 1}, content_type="application/json"
    )
    assert ok.status_code == 200 and ok.json()["status"] == "sent_back"
    late = client.post(url, {"decision": "approve", "revision": 1}, content_type="application/json")
    assert late.status_code == 409


def test_the_detail_carries_photos_flags_and_versions(world):
    m = materials_of(world)
    data = world.client("office").get(f"/api/materials/submissions/{m.submission.pk}").json()
    assert [p["seq"] for p in data["photos"]] == [1, 2]
    assert data["versions"] == [m.submission.pk]
    assert data["photos"][0]["display_url"].endswith("/display/")


def test_the_parser_is_in_the_api(world):
    drafts = (
        world.client("office")
        .post(
            "/api/materials/requirements/parse",
            {"text": "实景图片3张，总数不超过12张"},
            content_type="application/json",
        )
        .json()
    )
    assert drafts[0]["photos_total_max"] == 12


def test_the_routes_are_in_the_openapi_document():
    from chuangwen.api import api

    paths = api.get_openapi_schema()["paths"]
    for path in (
        "/api/materials/submissions",
        "/api/materials/coverage",
        "/api/materials/requirements/parse",
    ):
        assert path in paths
