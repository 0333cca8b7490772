"""The roster import (the national volunteer-service system's export layout)."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from chuangwen.core.import_template import INSTRUCTIONS_SHEET
from chuangwen.volunteers import services
from chuangwen.volunteers.import_template import roster_template
from chuangwen.volunteers.importing import import_roster
from chuangwen.volunteers.models import Team, Volunteer
from chuangwen.volunteers.tests.fixtures import volunteer_world

pytestmark = pytest.mark.django_db
DOCS = Path(__file__).resolve().parents[3] / "docs" / "imports"
HEADERS = ["姓名", "性别", "手机号", "志愿者编号", "所属组织", "服务时长", "身份证号", "所属队伍"]


def roster(*rows, title: bool = True) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    if title:
        sheet.append(["志愿者名单（导出）"])
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_dry_run_reports_what_it_would_do_and_writes_nothing(world):
    data = roster(
        ["陈一鸣", "男", "13700000001", "V-1", "松林一社区", "12.5", "", "文明劝导队"],
        ["陈二鸣", "女", "13700000002", "", "松林一社区", "", "", ""],
    )
    report = import_roster(data, world.liaison_a)
    assert report.ok and (report.created, report.updated) == (2, 0) and not report.committed
    assert not Volunteer.objects.exists()


def test_every_bad_row_is_reported_with_its_row_and_column(world):
    data = roster(
        ["", "男", "13700000001", "", "松林一社区", "", "", ""],
        ["陈三", "男", "12345", "", "松林一社区", "", "", ""],
        ["陈四", "男", "13700000004", "", "不存在的社区", "", "", ""],
        ["陈五", "未知", "13700000005", "", "松林一社区", "many", "123", ""],
        ["陈六", "男", "13700000006", "", "柳岸一社区", "", "", ""],
        ["陈七", "男", "13700000007", "", "松林一社区", "", "", ""],
        ["陈七", "男", "13700000007", "", "松林一社区", "", "", ""],
    )
    report = import_roster(data, world.liaison_a, commit=True)
    got = {(e.row, e.column) for e in report.errors}
    assert got == {(3, "A"), (4, "C"), (5, "E"), (6, "B"), (6, "F"), (6, "G"), (7, "E"), (9, "C")}
    assert not report.committed and not Volunteer.objects.exists()


def test_a_commit_writes_everything_and_a_reimport_updates_by_number(world):
    data = roster(
        [
            "陈一鸣",
            "男",
            "13700000001",
            "V-1",
            "松林一社区",
            "12.5",
            "110101199001011234",
            "文明劝导队、环境清洁队",
        ],
        ["陈二鸣", "女", "137 0000 0002", "", "松林一社区", "", "", "文明劝导队"],
    )
    report = import_roster(data, world.liaison_a, commit=True)
    assert report.committed, report.errors
    first = Volunteer.objects.get(code="V-1")
    assert first.total_hours == Decimal("12.5") and first.id_number == "110101199001011234"
    assert "110101199001011234" not in first.id_number_enc
    assert set(first.teams.values_list("name", flat=True)) == {"文明劝导队", "环境清洁队"}
    assert Team.objects.get(name="文明劝导队").members.count() == 2
    again = roster(["陈一鸣", "男", "13700000011", "V-1", "松林一社区", "20", "", "文明劝导队"])
    report = import_roster(again, world.liaison_a, commit=True)
    assert (report.created, report.updated) == (0, 1)
    first.refresh_from_db()
    assert first.phone == "13700000011" and first.total_hours == Decimal("20.0")
    assert first.id_number == "110101199001011234", "an empty ID cell keeps the stored number"


def test_a_reimport_keeps_the_hours_confirmed_here(world):
    vw = volunteer_world(world)
    services.confirm_record(vw.record, world.office)
    data = roster(["周青禾", "女", "13911110001", "V-A-1", "松林一社区", "100", "", ""])
    assert import_roster(data, world.office, commit=True).committed
    vw.volunteer.refresh_from_db()
    assert vw.volunteer.total_hours == Decimal("102.0") and vw.volunteer.stars == 1


def test_the_import_page_checks_then_imports(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = world.client("unit_admin_a")
    data = roster(["陈一鸣", "男", "13700000001", "", "松林一社区", "", "", ""])
    url = reverse("volunteers:import")
    checked = client.post(url, {"file": SimpleUploadedFile("r.xlsx", data)})
    assert checked.status_code == 200 and not Volunteer.objects.exists()
    done = client.post(url, {"file": SimpleUploadedFile("r.xlsx", data), "commit": "on"})
    assert done.status_code == 302 and Volunteer.objects.count() == 1


def test_the_template_imports_as_it_is_and_its_columns_are_documented(world, tmp_path):
    data = world.client("liaison_a").get(reverse("volunteers:import_template")).content
    report = import_roster(data, world.liaison_a)
    assert report.ok, report.errors
    assert report.created == 1
    call_command("import_template", "volunteers", str(tmp_path / "v.xlsx"), stdout=io.StringIO())
    book = openpyxl.load_workbook(tmp_path / "v.xlsx")
    assert INSTRUCTIONS_SHEET in book.sheetnames
    page = (DOCS / "volunteers.md").read_text()
    missing = [c.value for c in book["志愿者"][1] if f"| {c.value} |" not in page]
    assert not missing
    assert roster_template("松林一社区")
