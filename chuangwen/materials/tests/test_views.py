import io
import zipfile

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from chuangwen.materials import services
from chuangwen.materials.evidence.runner import run_checks
from chuangwen.materials.models import MaterialRequirement, Submission, SubmissionStatus
from chuangwen.materials.periods import period_label
from chuangwen.materials.tests.factories import (
    file_activity,
    make_requirement,
    make_task,
    materials_of,
    photo_upload,
)


def _form(requirement, client):
    page = client.get(reverse("materials:submit", kwargs={"requirement_pk": requirement.pk}))
    assert page.status_code == 200
    return page.context["form"]


def test_the_upload_page_offers_the_phone_camera_and_a_progress_bar_without_inline_script(world):
    req = make_requirement(world)
    page = world.client("liaison_a").get(reverse("materials:submit", kwargs={"requirement_pk": req.pk}))
    html = page.content.decode()
    assert 'capture="environment"' in html and 'accept="image/*"' in html and "multiple" in html
    assert "data-progress" in html and "js/materials.js" in html
    assert "<script>" not in html


@pytest.mark.django_db
def test_a_phone_upload_answers_json_and_its_retry_files_nothing_twice(
    world, django_capture_on_commit_callbacks
):
    req = make_requirement(world)
    client = world.client("liaison_a")
    key = _form(req, client).initial["idempotency_key"]
    data = {
        "unit": world.street_a.pk,
        "title": "诚信宣传进市场",
        "activity_date": "",
        "organiser": "松林街道",
        "participants": 20,
        "idempotency_key": key,
        "datum": "wgs84",
    }
    from django.utils import timezone

    data["activity_date"] = timezone.localdate().isoformat()
    url = reverse("materials:submit", kwargs={"requirement_pk": req.pk})
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(
            url, {**data, "files": [photo_upload(1), photo_upload(2)]}, HTTP_X_REQUESTED_WITH="XMLHttpRequest"
        )
    assert first.status_code == 200 and first.json()["created"] is True
    again = client.post(
        url, {**data, "files": [photo_upload(1), photo_upload(2)]}, HTTP_X_REQUESTED_WITH="XMLHttpRequest"
    )
    assert again.json() == {**first.json(), "created": False}
    sub = Submission.objects.get()
    assert sub.photos.count() == 2 and sub.checks_state == "done"


def test_a_refused_upload_answers_with_the_reason_and_keeps_nothing(world):
    req = make_requirement(world)
    client = world.client("liaison_a")
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    response = client.post(
        reverse("materials:submit", kwargs={"requirement_pk": req.pk}),
        {
            "unit": world.street_a.pk,
            "title": "活动",
            "activity_date": timezone.localdate().isoformat(),
            "files": [SimpleUploadedFile("a.heic", b"\x00\x00\x00\x18ftypheic" + b"\x00" * 40)],
        },
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
    )
    assert response.status_code == 400
    assert "HEIC" in " ".join(response.json()["errors"])
    assert not Submission.objects.exists()


def test_a_word_file_that_is_a_zip_bomb_is_refused_before_its_words_are_counted(world):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as handle:
            for _ in range(20):  # 20 MB of one letter: 20 KB compressed
                handle.write(b"a" * (1024 * 1024))
    req = make_requirement(world)
    response = world.client("liaison_a").post(
        reverse("materials:submit", kwargs={"requirement_pk": req.pk}),
        {
            "unit": world.street_a.pk,
            "title": "活动",
            "activity_date": timezone.localdate().isoformat(),
            "files": [SimpleUploadedFile("总结.docx", bomb.getvalue())],
        },
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
    )
    assert response.status_code == 400
    assert "总结.docx" in " ".join(response.json()["errors"])
    assert "ZIP bomb" in " ".join(response.json()["errors"])
    assert not Submission.objects.exists()


def test_an_excel_file_with_macros_renamed_xlsx_is_refused(world):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    book = io.BytesIO()
    with zipfile.ZipFile(book, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 macro")
    response = world.client("liaison_a").post(
        reverse("materials:submit", kwargs={"requirement_pk": make_requirement(world).pk}),
        {
            "unit": world.street_a.pk,
            "title": "活动",
            "activity_date": timezone.localdate().isoformat(),
            "files": [SimpleUploadedFile("统计表.xlsx", book.getvalue())],
        },
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
    )
    assert response.status_code == 400
    assert "统计表.xlsx: it contains macros" in " ".join(response.json()["errors"])
    assert not Submission.objects.exists()


def test_the_detail_shows_photos_with_their_flags_and_the_history(world):
    m = materials_of(world)
    run_checks(m.submission.pk)
    page = world.client("unit_admin_a").get(reverse("materials:submission", kwargs={"pk": m.submission.pk}))
    html = page.content.decode()
    assert page.status_code == 200
    assert reverse("materials:photo", kwargs={"pk": m.photo.pk, "variant": "display"}) in html
    assert "Capture time unverifiable" in html
    assert 'name="decision"' in html and "Record decision" in html
    liaison_page = world.client("liaison_a").get(
        reverse("materials:submission", kwargs={"pk": m.submission.pk})
    )
    assert 'name="decision"' not in liaison_page.content.decode()


def test_a_reviewer_sends_back_from_the_page_and_the_liaison_refiles_a_new_version(world):
    m = materials_of(world)
    admin = world.client("unit_admin_a")
    response = admin.post(
        reverse("materials:review", kwargs={"pk": m.submission.pk}),
        {"decision": "send_back", "comment": "请补充签到表", "revision": 1},
    )
    assert response.status_code == 302
    m.submission.refresh_from_db()
    assert m.submission.status == SubmissionStatus.SENT_BACK
    liaison = world.client("liaison_a")
    form_page = liaison.get(reverse("materials:resubmit", kwargs={"pk": m.submission.pk}))
    assert form_page.status_code == 200 and "请补充签到表" in form_page.content.decode()
    form = form_page.context["form"]
    response = liaison.post(
        reverse("materials:resubmit", kwargs={"pk": m.submission.pk}),
        {
            "unit": world.street_a.pk,
            "period": m.submission.period,
            "title": m.submission.title,
            "activity_date": m.submission.activity_date.isoformat(),
            "organiser": "松林街道",
            "participants": 30,
            "keep_photos": [p.pk for p in m.submission.photos.all()],
            "idempotency_key": form.initial["idempotency_key"],
            "files": [photo_upload(9)],
        },
    )
    assert response.status_code == 302
    v2 = Submission.objects.get(thread=m.submission.thread, version=2)
    assert v2.photos.count() == 3
    detail = liaison.get(reverse("materials:submission", kwargs={"pk": v2.pk})).content.decode()
    assert "请补充签到表" in detail and "v1" in detail


def test_a_stale_review_form_is_told_somebody_else_acted(world):
    m = materials_of(world)
    admin = world.client("unit_admin_a")
    admin.post(
        reverse("materials:review", kwargs={"pk": m.submission.pk}), {"decision": "approve", "revision": 1}
    )
    response = admin.post(
        reverse("materials:review", kwargs={"pk": m.submission.pk}),
        {"decision": "approve", "revision": 1},
        follow=True,
    )
    assert response.status_code == 200
    assert "Somebody else reviewed this material meanwhile" in response.content.decode()
    assert m.submission.reviews.count() == 1


def test_liaison_b_sees_nothing_of_street_as_materials(world):
    m = materials_of(world)
    client = world.client("liaison_b")
    assert client.get(reverse("materials:submission", kwargs={"pk": m.submission.pk})).status_code == 404
    assert client.get(reverse("materials:requirement", kwargs={"pk": m.requirement.pk})).status_code == 404
    assert m.requirement.title not in client.get(reverse("materials:requirements")).content.decode()
    assert m.submission.title not in client.get(reverse("materials:queue")).content.decode()
    assert client.get("/api/materials/submissions").json()["items"] == []
    assert client.get("/api/materials/coverage").json() == []


def test_the_coverage_board_shows_each_state_per_unit_and_requirement(world):
    req = make_requirement(world)
    sub = file_activity(world, req)
    page = world.client("office").get(reverse("materials:coverage"))
    assert page.status_code == 200
    row = next(cells for unit, cells in page.context["rows"] if unit == world.street_a)
    cell = row[page.context["requirements"].index(req)]
    assert cell.state == "in_review" and cell.in_review == 1
    for user in (world.unit_admin_a, world.office, world.leader):
        sub.refresh_from_db()
        services.review(actor=user, submission=sub, decision="approve", revision=sub.revision)
    page = world.client("office").get(reverse("materials:coverage"))
    row = next(cells for unit, cells in page.context["rows"] if unit == world.street_a)
    cell = row[page.context["requirements"].index(req)]
    assert cell.satisfied == 1


def test_the_due_list_names_the_periods_still_missing(world):
    req = make_requirement(world)
    page = world.client("liaison_a").get(reverse("materials:due"))
    items = list(page.context["items"])
    assert [i.requirement for i in items] and all(i.requirement == req for i in items)
    assert {i.state for i in items} == {"missing"}
    file_activity(world, req)
    items = list(world.client("liaison_a").get(reverse("materials:due")).context["items"])
    assert "in_review" in {i.state for i in items}


def test_the_office_drafts_a_requirement_from_the_task_text_and_saves_it(world):
    task = make_task(world, text="说明报告800字，实景图片3张，总数不超过12张")
    client = world.client("office")
    page = client.get(reverse("materials:requirement_new", kwargs={"task_pk": task.pk}) + "?draft=1")
    assert page.context["form"].initial["photos_total_max"] == 12
    response = client.post(
        reverse("materials:requirement_new", kwargs={"task_pk": task.pk}),
        {
            "seq": 1,
            "title": "实景图片",
            "kind": "photos",
            "cadence": "named_dates",
            "named_dates_text": "端午节\n3·15 = 03-15",
            "photos_min": 3,
            "photos_max": 3,
            "photos_total_max": 12,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    req = MaterialRequirement.objects.get(task=task)
    assert req.named_dates == [{"label": "端午节", "festival": "duanwu"}, {"label": "3·15", "md": "03-15"}]
    bad = client.post(
        reverse("materials:requirement_edit", kwargs={"pk": req.pk}),
        {
            "seq": 1,
            "title": "实景图片",
            "kind": "photos",
            "cadence": "once",
            "photos_min": 5,
            "photos_max": 3,
        },
    )
    assert bad.status_code == 200 and bad.context["form"].errors


def test_the_ledger_lists_every_current_submission(world):
    m = materials_of(world)
    response = world.client("office").get(reverse("materials:ledger"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 3
    assert {r[6] for r in rows[1:]} == {m.submission.title, m.api_submission.title}


def test_the_archive_is_organised_by_indicator_unit_and_period_with_an_index(world):
    m = materials_of(world)
    response = world.client("office").get(reverse("materials:archive") + "?all=1")
    assert response.streaming
    data = b"".join(response.streaming_content)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        assert names[0] == "index.xlsx"
        photo = next(n for n in names if n.endswith("01_IMG_0001.jpg"))
        indicator, unit, period = photo.split("/")[:3]
        # The period folder is named as people read it (2026年第四季度 in Chinese), not by its key.
        assert (
            indicator.startswith("Ⅲ-9")
            and unit == world.street_a.name
            and period == period_label(m.submission.period)
        )
        assert archive.read(photo) == m.photo.original.open("rb").read()
    approved_only = b"".join(world.client("office").get(reverse("materials:archive")).streaming_content)
    with zipfile.ZipFile(io.BytesIO(approved_only)) as archive:
        assert archive.namelist() == ["index.xlsx"]


def test_the_home_page_lists_what_waits_for_review(world):
    materials_of(world)
    from chuangwen.materials.attention import items

    labels = {a.label: a.count for a in items(world.unit_admin_a)}
    assert labels.get("Materials waiting for your review") == 2


def test_the_office_picks_a_unit_to_see_what_it_owes(world):
    req = make_requirement(world)
    client = world.client("office")
    overview = client.get(reverse("materials:due"))
    assert overview.context["pick_unit"] and list(overview.context["items"]) == []
    one = client.get(reverse("materials:due") + f"?unit={world.street_a.pk}")
    assert {i.requirement for i in one.context["items"]} == {req}


def test_a_liaison_is_told_what_was_sent_back(world):
    from chuangwen.materials.attention import items

    m = materials_of(world)
    services.review(
        actor=world.unit_admin_a, submission=m.submission, decision="send_back", comment="补充", revision=1
    )
    labels = {a.label: a.count for a in items(world.liaison_a)}
    assert labels.get("Materials sent back to you") == 1
