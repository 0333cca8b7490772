import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from PIL import Image

from chuangwen.audit.labels import action_label
from chuangwen.audit.models import AuditEntry
from chuangwen.indicators.models import Method
from chuangwen.org.models import UnitAlias
from chuangwen.tasks.models import ProgressAttachment, ProgressReport, Task
from chuangwen.tasks.tests.fixtures import make_task
from chuangwen.tasks.tests.sheets import office_table, xlsx


def _png(size=(40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (30, 120, 60)).save(out, "PNG")
    return out.getvalue()


PNG = _png()


def test_liaison_b_sees_none_of_street_as_tasks_anywhere(world):
    task = make_task(world, title="松林街道的任务")
    make_task(world, unit=world.street_b, title="柳岸街道的任务")
    client = world.client("liaison_b")
    board = client.get(reverse("tasks:board")).content.decode()
    assert "柳岸街道的任务" in board and "松林街道的任务" not in board
    assert "松林街道的任务" not in client.get(reverse("tasks:mine")).content.decode()
    assert client.get(reverse("tasks:detail", args=[task.pk])).status_code == 404
    api = client.get("/api/tasks/").json()
    assert [t["title"] for t in api["items"]] == ["柳岸街道的任务"]
    exported = load_workbook(io.BytesIO(client.get(reverse("tasks:export")).content)).active
    assert "松林街道的任务" not in {c.value for row in exported.iter_rows() for c in row}


def test_a_street_sees_the_tasks_of_its_communities_and_the_office_sees_all(world):
    make_task(world, unit=world.community_a, title="社区任务")
    make_task(world, unit=world.street_b, title="柳岸街道的任务")
    assert "社区任务" in world.client("liaison_a").get(reverse("tasks:board")).content.decode()
    office = world.client("office").get(reverse("tasks:board")).content.decode()
    assert "社区任务" in office and "柳岸街道的任务" in office


def test_the_board_filters_by_unit_method_and_state_and_counts_them(world):
    make_task(world, title="材料任务", method=Method.MATERIALS)
    make_task(world, title="实地任务", method=Method.FIELD)
    make_task(world, unit=world.street_b, title="柳岸任务", method=Method.FIELD)
    client = world.client("office")
    page = client.get(reverse("tasks:board"), {"unit": world.street_a.pk, "method": "field"})
    assert [t.title for t in page.context["page"]] == ["实地任务"]
    assert page.context["method_counts"] == {"field": 1, "materials": 1}
    overdue = client.get(reverse("tasks:board"), {"state": "overdue"})
    assert list(overdue.context["page"]) == []


def test_my_tasks_lists_the_nearest_deadline_first_and_leaves_out_done_ones(world):
    today = timezone.localdate()
    make_task(world, title="远", deadline=today + dt.timedelta(days=30))
    make_task(world, title="近", deadline=today + dt.timedelta(days=2))
    done = make_task(world, title="已完成", deadline=today + dt.timedelta(days=1))
    done.done_confirmed_at = timezone.now()
    done.save()
    page = world.client("liaison_a").get(reverse("tasks:mine"))
    assert [t.title for t in page.context["tasks"]] == ["近", "远"]


def test_the_detail_page_shows_milestones_reports_and_the_history(world):
    task = make_task(world)
    client = world.client("liaison_a")
    client.post(
        reverse("tasks:report", args=[task.pk]),
        {
            "unit": world.street_a.pk,
            "month": timezone.localdate().replace(day=1).isoformat(),
            "text": "本月开展两次活动",
        },
    )
    page = client.get(reverse("tasks:detail", args=[task.pk])).content.decode()
    assert "本月开展两次活动" in page and action_label("tasks.report.submit") in page


def test_a_liaison_reports_progress_with_a_photo_checked_by_its_content(world):
    task = make_task(world)
    month = timezone.localdate().replace(day=1).isoformat()
    response = world.client("liaison_a").post(
        reverse("tasks:report", args=[task.pk]),
        {
            "unit": world.street_a.pk,
            "month": month,
            "text": "进展",
            "files": [SimpleUploadedFile("活动.jpg", PNG)],
        },
    )
    assert response.status_code == 302
    attachment = ProgressAttachment.objects.get()
    assert attachment.content_type == "image/png" and attachment.extension == "png"
    assert world.client("liaison_a").get(reverse("tasks:attachment", args=[attachment.pk])).status_code == 200
    assert world.client("liaison_b").get(reverse("tasks:attachment", args=[attachment.pk])).status_code == 404


def test_a_file_that_is_not_what_it_claims_is_refused_and_nothing_is_recorded(world):
    task = make_task(world)
    response = world.client("liaison_a").post(
        reverse("tasks:report", args=[task.pk]),
        {
            "unit": world.street_a.pk,
            "month": timezone.localdate().replace(day=1).isoformat(),
            "text": "进展",
            "files": [SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 not a photo")],
        },
    )
    assert response.status_code == 200 and "not a photo" in response.content.decode()
    assert not ProgressReport.objects.exists()


def _report(world, task, *files):
    return world.client("liaison_a").post(
        reverse("tasks:report", args=[task.pk]),
        {
            "unit": world.street_a.pk,
            "month": timezone.localdate().replace(day=1).isoformat(),
            "text": "进展",
            "files": list(files),
        },
    )


def _png_header(width: int, height: int) -> bytes:
    """A tiny PNG declaring a huge canvas (a decompression bomb)."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


def test_html_behind_jpeg_magic_bytes_is_refused_as_an_attachment(world):
    task = make_task(world)
    fake = b"\xff\xd8\xff\xe0<html><script>alert(document.cookie)</script></html>"
    response = _report(world, task, SimpleUploadedFile("photo.jpg", fake))
    assert response.status_code == 200 and "damaged" in response.content.decode()
    assert not ProgressReport.objects.exists()


def test_a_png_declaring_30000_by_30000_pixels_is_refused(world):
    response = _report(world, make_task(world), SimpleUploadedFile("huge.png", _png_header(30000, 30000)))
    assert response.status_code == 200
    assert (
        "impossible size" in response.content.decode() or "larger than any phone" in response.content.decode()
    )
    assert not ProgressAttachment.objects.exists()


def test_a_report_sent_twice_with_the_same_photo_keeps_it_once(world):
    task = make_task(world)
    for _ in range(2):
        assert _report(world, task, SimpleUploadedFile("活动.png", PNG)).status_code == 302
    assert ProgressAttachment.objects.count() == 1 and ProgressReport.objects.count() == 1


def test_a_pdf_is_served_as_a_download_and_never_inline(world):
    task = make_task(world)
    pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>\n"
    assert _report(world, task, SimpleUploadedFile("报告.pdf", pdf)).status_code == 302
    response = world.client("liaison_a").get(
        reverse("tasks:attachment", args=[ProgressAttachment.objects.get().pk])
    )
    assert response["Content-Disposition"].startswith("attachment")
    assert "sandbox" in response["Content-Security-Policy"]


def test_a_verified_photo_is_shown_inline_and_an_old_unverified_one_is_downloaded(world):
    from django.core.files.base import ContentFile

    task = make_task(world)
    assert _report(world, task, SimpleUploadedFile("活动.png", PNG)).status_code == 302
    photo = ProgressAttachment.objects.get()
    client = world.client("liaison_a")
    shown = client.get(reverse("tasks:attachment", args=[photo.pk]))
    assert shown["Content-Type"] == "image/png" and shown["Content-Disposition"].startswith("inline")
    # Stored before the content checks (by magic bytes alone): HTML labelled image/jpeg.
    old = ProgressAttachment.objects.create(
        report=photo.report,
        original_name="x.jpg",
        content_type="image/jpeg",
        extension="jpg",
        size=40,
        sha256="0" * 64,
    )
    old.file.save("x.jpg", ContentFile(b"\xff\xd8\xff<html><script>alert(1)</script>"))
    served = client.get(reverse("tasks:attachment", args=[old.pk]))
    assert served["Content-Type"] == "application/octet-stream"
    assert served["Content-Disposition"].startswith("attachment")


@override_settings(UPLOAD_MAX_BYTES=50)
def test_a_file_over_the_size_cap_is_refused_by_its_declared_size_before_it_is_read():
    import pytest

    from chuangwen.tasks.attachments import AttachmentError, read_upload

    class Upload:
        name, size = "big.png", 51

        def read(self, *args):
            raise AssertionError("the body of an oversized file was read")

    with pytest.raises(AttachmentError, match="larger than"):
        read_upload(Upload())


@override_settings(UPLOAD_MAX_BYTES=1024)
def test_a_request_announcing_more_than_every_file_at_the_cap_is_refused_before_its_body_is_read(world):
    from chuangwen.tasks import attachments

    oversized = 12 * 1024 + attachments.FORM_ALLOWANCE + 1
    response = _report(
        world, make_task(world), SimpleUploadedFile("huge.pdf", b"%PDF-1.4\n" + b"0" * oversized)
    )
    assert response.status_code == 413 and "too large" in response.content.decode()
    assert not ProgressReport.objects.exists()


@override_settings(UPLOAD_MAX_BYTES=50)
def test_a_file_over_the_size_cap_is_refused(world):
    task = make_task(world)
    response = world.client("liaison_a").post(
        reverse("tasks:report", args=[task.pk]),
        {
            "unit": world.street_a.pk,
            "month": timezone.localdate().replace(day=1).isoformat(),
            "text": "进展",
            "files": [SimpleUploadedFile("big.png", PNG)],
        },
    )
    assert "larger than" in response.content.decode()
    assert not ProgressReport.objects.exists()


def test_the_office_confirms_done_and_the_audit_log_records_it(world):
    task = make_task(world)
    ProgressReport.objects.create(
        task=task, unit=world.street_a, month=timezone.localdate().replace(day=1), text="完成"
    )
    world.client("office").post(reverse("tasks:confirm", args=[task.pk]))
    task.refresh_from_db()
    assert task.done_confirmed_by == world.office
    assert AuditEntry.objects.filter(action="tasks.task.confirm_done", object_id=str(task.pk)).exists()


def test_the_upload_page_previews_maps_an_unknown_name_and_commits(world):
    rows, merges = office_table()
    rows[4][6] = "松林办、柳岸街道"
    client = world.client("office")
    url = reverse("tasks:import")
    preview = client.post(
        url,
        {
            "action": "preview",
            "campaign": world.campaign.pk,
            "file": SimpleUploadedFile("t.xlsx", xlsx(rows, merges)),
        },
    )
    assert preview.status_code == 200
    assert [p.value for p, _form in preview.context["unknown"]] == ["松林办"]
    token = preview.context["token"]
    assert not Task.objects.exists()
    mapped = client.post(
        url, {"action": "alias", "token": token, "name": "松林办", "unit": world.street_a.pk}
    )
    assert UnitAlias.objects.filter(alias="松林办", unit=world.street_a).exists()
    assert mapped.context["table"].ok
    committed = client.post(url, {"action": "commit", "token": token})
    assert committed.status_code == 302
    assert Task.objects.count() == 5


def test_the_upload_page_explains_a_file_that_is_not_a_spreadsheet(world):
    response = world.client("office").post(
        reverse("tasks:import"),
        {"action": "preview", "campaign": world.campaign.pk, "file": SimpleUploadedFile("t.xlsx", b"hello")},
    )
    assert "not an Excel file" in response.content.decode()


def test_a_commit_with_a_token_from_another_session_writes_nothing(world):
    response = world.client("office").post(reverse("tasks:import"), {"action": "commit", "token": "deadbeef"})
    assert response.status_code == 302
    assert not Task.objects.exists()


def test_the_ledger_lists_each_report_with_its_lateness(world):
    task = make_task(world, title="台账任务")
    ProgressReport.objects.create(
        task=task,
        unit=world.street_a,
        month=dt.date(2026, 1, 1),
        text="一月进展",
        submitted_at=timezone.make_aware(dt.datetime(2026, 2, 3, 10)),
    )
    response = world.client("office").get(reverse("tasks:ledger"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == "序号"
    assert rows[2][1] == "台账任务" and rows[2][4] == "2026-01" and rows[2][9] == "是"


def test_coverage_shows_level_3_items_without_a_task_or_without_a_responsible_unit_as_gaps(world):
    from chuangwen.indicators.models import Indicator
    from chuangwen.tasks.models import Task as TaskModel

    task = make_task(world)  # Ⅲ-17 has a task with a responsible unit
    uncovered = Indicator.objects.create(
        system=task.indicator.system, level=3, code="Ⅲ-18", name="无任务", parent=task.indicator.parent
    )
    orphan = Indicator.objects.create(
        system=task.indicator.system, level=3, code="Ⅲ-19", name="无单位", parent=task.indicator.parent
    )
    TaskModel.objects.create(campaign=world.campaign, indicator=orphan, title="没人管的任务")
    page = world.client("office").get(reverse("tasks:coverage"))
    assert page.context["gaps"] == 2 and page.context["total"] == 3
    items = {i.code: i.gap for l1 in page.context["roots"] for l2 in l1.items for i in l2.items}
    assert items == {"Ⅲ-17": "", uncovered.code: "no_task", orphan.code: "no_unit"}


def test_ongoing_work_shows_as_ongoing_wherever_its_deadline_is_shown(world, chinese):
    from chuangwen.tasks.models import Cadence
    from chuangwen.tasks.periods import month_end

    task = make_task(
        world, title="长期坚持的志愿服务", cadence=Cadence.ONGOING, deadline=None, deadline_text="长期坚持"
    )
    detail = world.client("liaison_a").get(reverse("tasks:detail", args=[task.pk])).content.decode()
    assert "长期" in detail and "下次到期" not in detail
    mine = world.client("liaison_a").get(reverse("tasks:mine")).content.decode()
    row = mine[mine.index("长期坚持的志愿服务") :][:600]
    assert "长期" in row and month_end(timezone.localdate()).isoformat() not in row
