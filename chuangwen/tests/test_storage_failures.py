"""When the file storage fails, nothing is lost (issue 23): on the local folder and on a real
S3-compatible server (moto's server mode on loopback), an endpoint that hangs, and a storage
whose Nth write fails."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from chuangwen.core.storage import FileBatch, StorageUnavailable
from chuangwen.core.tests import storage_fixtures
from chuangwen.core.tests.storage_fixtures import current_storage, fail_write_number, stored_names
from chuangwen.materials.models import Submission
from chuangwen.materials.tests.factories import file_activity, make_requirement
from chuangwen.problems import services as problem_services
from chuangwen.problems.models import PhotoKind, Problem, ProblemPhoto
from chuangwen.problems.tests.factories import category, jpeg_bytes, photo, problem_in_street_a

# The fixtures this module uses (a real S3-compatible server, a hung one, both storages).
s3_server = storage_fixtures.s3_server
s3_storage = storage_fixtures.s3_storage
media_storage = storage_fixtures.media_storage
hung_storage = storage_fixtures.hung_storage

UNAVAILABLE_ZH = "文件存储暂时不可用，请稍后重试"


def readable(field_file) -> bool:
    with field_file.open("rb") as handle:
        return len(handle.read()) > 0


def test_a_failed_filing_of_a_photo_another_filing_holds_leaves_the_other_filings_photo(
    world, media_storage, monkeypatch
):
    requirement = make_requirement(world)
    first = file_activity(world, requirement, seeds=(1,))
    kept = first.photos.get()
    other_requirement = make_requirement(world, title="第二项")
    # The same photo again, then a second photo whose write fails: the filing is undone.
    fail_write_number(monkeypatch, 3)
    with pytest.raises(StorageUnavailable):
        file_activity(world, other_requirement, seeds=(1, 2))
    assert Submission.objects.count() == 1
    assert stored_names() == {kept.original.name, kept.display.name}
    assert readable(kept.original) and readable(kept.display)


def test_two_filings_of_the_same_photo_are_stored_as_separate_objects(world, media_storage):
    requirement = make_requirement(world)
    first = file_activity(world, requirement, seeds=(1,)).photos.get()
    second = file_activity(world, make_requirement(world, title="第二项"), seeds=(1,)).photos.get()
    assert first.sha256 == second.sha256
    assert {first.original.name, first.display.name}.isdisjoint({second.original.name, second.display.name})


def test_a_problem_report_whose_third_write_fails_leaves_no_file_and_no_row(
    world, media_storage, monkeypatch
):
    fail_write_number(monkeypatch, 3)
    with pytest.raises(StorageUnavailable):
        problem_in_street_a(world, photos=[photo((1, 2, 3)), photo((4, 5, 6))])
    assert Problem.objects.count() == 0 and ProblemPhoto.objects.count() == 0
    assert stored_names() == set()


def test_after_photos_that_cannot_all_be_written_leave_nothing_behind(world, media_storage, monkeypatch):
    problem = problem_in_street_a(world)
    problem_services.accept(problem, world.liaison_a)
    fail_write_number(monkeypatch, 3)
    with pytest.raises(StorageUnavailable):
        problem_services.add_photos(
            problem, world.liaison_a, photos=[photo((1, 2, 3)), photo((4, 5, 6))], kind=PhotoKind.AFTER
        )
    assert ProblemPhoto.objects.count() == 0 and stored_names() == set()


def test_photo_files_are_written_before_the_transaction_that_locks_the_problem(
    world, monkeypatch, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    problem = problem_in_street_a(world)
    problem_services.accept(problem, world.liaison_a)
    storage = current_storage()
    original = storage._save
    depth_outside = len(connection.atomic_blocks)  # the test's own transaction
    depths: list[int] = []

    def save(name, content):
        depths.append(len(connection.atomic_blocks))
        return original(name, content)

    monkeypatch.setattr(storage, "_save", save)
    problem_services.submit(problem, world.liaison_a, measures="已清理", photos=[photo()])
    problem_services.verify(
        Problem.objects.get(pk=problem.pk), world.inspector, passed=True, photos=[photo()]
    )
    problem_in_street_a(world, photos=[photo()])
    assert len(depths) == 6 and set(depths) == {depth_outside}


def test_a_hung_storage_answers_the_api_503_in_chinese_without_the_endpoint(world, hung_storage, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    problem = problem_in_street_a(world)
    client = world.client("inspector")
    response = client.post(
        f"/api/problems/{problem.pk}/photos",
        {"kind": PhotoKind.BEFORE, "files": [SimpleUploadedFile("a.jpg", jpeg_bytes())]},
    )
    assert response.status_code == 503
    assert response.json() == {"detail": UNAVAILABLE_ZH}
    assert str(hung_storage.port) not in response.content.decode()
    assert ProblemPhoto.objects.count() == 0


def test_a_storage_failure_on_the_report_page_keeps_what_was_typed(world, settings, monkeypatch, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LANGUAGE_CODE = "zh-hans"
    fail_write_number(monkeypatch, 1)
    client = world.client("inspector")
    response = client.post(
        "/problems/report/",
        {
            "category": category().pk,
            "description": "松林路口有流动摊贩占道经营",
            "source": "inspection",
            "urgency": "normal",
            "address": "松林路12号",
            "nearby_seen": "1",
            "photos": [SimpleUploadedFile("a.jpg", jpeg_bytes())],
        },
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    body = response.content.decode()
    assert response.status_code == 503
    assert UNAVAILABLE_ZH in body and "松林路口有流动摊贩占道经营" in body
    assert "No space left" not in body
    assert Problem.objects.count() == 0


def test_a_photo_whose_file_is_gone_is_the_same_clear_404_for_problems_and_materials(world, media_storage):
    problem_photo = problem_in_street_a(world, photos=[photo()]).photos.get()
    material_photo = file_activity(world, make_requirement(world), seeds=(1,)).photos.get()
    for field_file in (
        problem_photo.display,
        problem_photo.original,
        material_photo.display,
        material_photo.original,
    ):
        field_file.storage.delete(field_file.name)
    client = world.client("office")
    for url in (
        f"/problems/photos/{problem_photo.pk}/display/",
        f"/problems/photos/{problem_photo.pk}/original/",
        f"/materials/photos/{material_photo.pk}/display/",
        f"/materials/photos/{material_photo.pk}/original/",
    ):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
        assert response.status_code == 404, url
        assert "文件存储中已找不到" in response.content.decode(), url


def test_an_unreachable_storage_serving_a_photo_is_a_503(world, hung_storage):
    problem = problem_in_street_a(world)
    stored = ProblemPhoto.objects.create(
        problem=problem,
        kind=PhotoKind.BEFORE,
        original="problems/original/2026/01/a.jpg",
        display="problems/display/2026/01/a.jpg",
        content_type="image/jpeg",
        sha256="0" * 64,
        size=1,
        width=1,
        height=1,
    )
    response = world.client("office").get(
        f"/problems/photos/{stored.pk}/display/", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert response.status_code == 503
    assert UNAVAILABLE_ZH in response.content.decode()


def test_a_batch_deletes_only_what_it_wrote(media_storage):
    storage = current_storage()
    other = storage.save("problems/original/other.jpg", ContentFile(b"other"))
    with pytest.raises(RuntimeError), FileBatch() as batch:
        batch.write("problems/original", "jpg", b"mine")
        raise RuntimeError("the transaction failed")
    assert stored_names() == {other}


def test_a_bulletin_made_while_a_photo_is_gone_says_on_its_page_which_photo_is_missing(
    world, media_storage, django_capture_on_commit_callbacks, settings
):
    from chuangwen.bulletins.models import JobState
    from chuangwen.bulletins.tests.factories import generated, sample_problems

    settings.LANGUAGE_CODE = "zh-hans"
    sample_problems(world)
    gone = ProblemPhoto.objects.order_by("pk").first()
    gone.display.storage.delete(gone.display.name)
    gone.original.storage.delete(gone.original.name)
    bulletin = generated(world, django_capture_on_commit_callbacks)
    assert bulletin.job_state == JobState.DONE, bulletin.job_error
    assert bulletin.missing_photos == [{"photo": gone.pk, "problem": gone.problem_id}]
    page = world.client("office").get(f"/bulletins/{bulletin.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    body = page.content.decode()
    assert 'data-testid="missing-photos"' in body and f"问题 #{gone.problem_id}" in body


def test_a_bulletin_made_while_the_storage_is_down_fails_with_the_message_to_retry(
    world, django_capture_on_commit_callbacks, settings, tmp_path, monkeypatch
):
    from chuangwen.bulletins.models import JobState
    from chuangwen.bulletins.tests.factories import generated

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LANGUAGE_CODE = "zh-hans"
    fail_write_number(monkeypatch, 1)
    bulletin = generated(world, django_capture_on_commit_callbacks)
    assert bulletin.job_state == JobState.FAILED
    assert bulletin.job_error == UNAVAILABLE_ZH and not bulletin.docx and stored_names() == set()


def test_a_duty_log_whose_second_photo_cannot_be_written_keeps_nothing_and_answers_503(
    world, media_storage, monkeypatch, settings
):
    from django.urls import reverse

    from chuangwen.points.models import DutyLog
    from chuangwen.points.tests.fixtures import field as make_field

    settings.LANGUAGE_CODE = "zh-hans"
    field = make_field(world)
    before = stored_names()
    fail_write_number(monkeypatch, 2)
    response = world.client("duty_a").post(
        reverse("points:duty_log_new", args=[field.point.pk]),
        {
            "category": "small_ads",
            "count": 3,
            "client_key": "k-storage",
            "photos": [
                SimpleUploadedFile("a.jpg", jpeg_bytes(color=(1, 2, 3))),
                SimpleUploadedFile("b.jpg", jpeg_bytes(color=(4, 5, 6))),
            ],
        },
        HTTP_ACCEPT="application/json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 503 and response.json()["message"] == UNAVAILABLE_ZH
    assert not DutyLog.objects.filter(client_key="k-storage").exists()
    assert stored_names() == before


def test_a_storage_failure_on_the_rectification_form_keeps_the_measures_typed(
    world, monkeypatch, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    problem = problem_in_street_a(world)
    problem_services.accept(problem, world.liaison_a)
    problem.refresh_from_db()
    fail_write_number(monkeypatch, 1)
    response = world.client("liaison_a").post(
        f"/problems/{problem.pk}/submit/",
        {
            "version": problem.version,
            "measures": "已清理占道摊点并设置提示牌",
            "photos": [SimpleUploadedFile("a.jpg", jpeg_bytes())],
        },
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    body = response.content.decode()
    assert response.status_code == 503
    assert UNAVAILABLE_ZH in body and "已清理占道摊点并设置提示牌" in body
    assert Problem.objects.get(pk=problem.pk).status == problem.status
    assert stored_names() == set()


def test_a_material_filed_through_the_api_while_the_storage_hangs_answers_503_in_chinese(
    world, hung_storage, settings
):
    settings.LANGUAGE_CODE = "zh-hans"
    from chuangwen.materials.tests.factories import photo_upload

    requirement = make_requirement(world)
    response = world.client("liaison_a").post(
        "/api/materials/submissions",
        {
            "requirement_id": requirement.pk,
            "unit_id": world.street_a.pk,
            "title": "诚信经营主题宣传活动",
            "activity_date": "2026-01-05",
            "place": "松林街道文化广场",
            "organiser": "松林街道办事处",
            "participants": 25,
            "files": [photo_upload(1)],
        },
    )
    assert response.status_code == 503, response.content
    assert response.json() == {"detail": UNAVAILABLE_ZH}
    assert Submission.objects.count() == 0


def test_a_storage_failure_on_the_public_report_form_is_a_503_not_a_success(
    world, settings, monkeypatch, tmp_path
):
    # Found by `chuangwen bench faults`: with the media storage down the citizen's form came back
    # with 200, which a phone's queue takes as "sent"; nothing was stored.
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LANGUAGE_CODE = "zh-hans"
    fail_write_number(monkeypatch, 1)
    from django.test import Client

    response = Client(HTTP_ACCEPT_LANGUAGE="zh-hans").post(
        "/report/",
        {
            "category": category().pk,
            "description": "公园门口垃圾桶满溢",
            "address": "松林路12号",
            "photos": [SimpleUploadedFile("a.jpg", jpeg_bytes())],
        },
    )
    body = response.content.decode()
    assert response.status_code == 503
    assert UNAVAILABLE_ZH in body and "公园门口垃圾桶满溢" in body
    assert not Problem.objects.filter(description="公园门口垃圾桶满溢").exists()
