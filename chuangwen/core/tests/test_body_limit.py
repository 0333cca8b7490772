"""Every route refuses a body larger than it could ever accept before reading it (issue 23:
only the task progress page had a limit; any other form or API route spooled a multi-gigabyte
upload to disk whole before its own checks ran)."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from chuangwen.core.middleware import default_body_limit


@override_settings(UPLOAD_MAX_BYTES=1024)
def test_an_import_page_without_a_limit_of_its_own_refuses_a_body_past_every_file_at_the_cap(world):
    huge = SimpleUploadedFile("units.xlsx", b"PK\x03\x04" + b"0" * (default_body_limit() + 1))
    response = world.client("office").post(reverse("org:import"), {"file": huge})
    assert response.status_code == 413
    assert "too large" in response.content.decode()


@override_settings(UPLOAD_MAX_BYTES=1024)
def test_an_api_upload_past_the_limit_answers_413_with_a_detail(world):
    huge = SimpleUploadedFile("a.jpg", b"\xff\xd8\xff" + b"0" * (default_body_limit() + 1))
    response = world.client("liaison_a").post(
        "/api/materials/submissions",
        {"requirement_id": 1, "unit_id": world.street_a.pk, "title": "x", "files": [huge]},
    )
    assert response.status_code == 413
    assert "too large" in response.json()["detail"]


@override_settings(UPLOAD_MAX_BYTES=1024)
def test_a_body_within_the_limit_reaches_the_view(world):
    small = SimpleUploadedFile("units.xlsx", b"not a workbook")
    response = world.client("office").post(reverse("org:import"), {"file": small})
    assert response.status_code != 413
