"""Excel import and export of checklist templates and points."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook

from chuangwen.core import geo
from chuangwen.points import checklists_io, importing
from chuangwen.points.models import ChecklistItem, Point, PointType

pytestmark = pytest.mark.django_db


def xlsx(rows: list[list], title: str | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    if title:
        sheet.append([title])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


POINT_HEADER = [
    "点位编号",
    "点位名称",
    "点位类型",
    "地址",
    "经度",
    "纬度",
    "坐标系",
    "责任单位",
    "责任领导",
    "重点点位",
]


def test_points_import_as_a_dry_run_first_and_write_nothing(world):
    data = xlsx(
        [
            POINT_HEADER,
            [
                "A-1",
                "松林菜市场",
                "农贸市场(集贸市场)",
                "松林路8号",
                120.16,
                30.27,
                "高德",
                "松林街道",
                "",
                "是",
            ],
        ],
        title="青石区实地考察点位表",
    )
    report = importing.import_points(data, world.office)
    assert report.ok and report.created == 1 and not report.committed
    assert not Point.objects.exists()


def test_points_import_converts_gcj02_and_resolves_units_and_people(world):
    lng, lat = 120.1600, 30.2700
    data = xlsx(
        [
            POINT_HEADER,
            ["A-1", "松林菜市场", "NMSC", "松林路8号", lng, lat, "GCJ-02", "松林街道", "林小松", "是"],
        ]
    )
    report = importing.import_points(data, world.office, commit=True)
    assert report.committed, report.errors
    point = Point.objects.get(code="A-1")
    assert point.unit == world.street_a and point.is_key and point.leader == world.person_a
    assert point.input_datum == "gcj02"
    assert geo.haversine_m(*geo.wgs84_to_gcj02(point.lat, point.lng), lat, lng) < 0.05


def test_a_second_import_updates_the_point_with_the_same_code(world):
    row = ["A-1", "松林菜市场", "NMSC", "旧地址", "", "", "", "松林街道", "", ""]
    importing.import_points(xlsx([POINT_HEADER, row]), world.office, commit=True)
    row[3] = "新地址"
    report = importing.import_points(xlsx([POINT_HEADER, row]), world.office, commit=True)
    assert (report.created, report.updated) == (0, 1)
    assert Point.objects.get(code="A-1").address == "新地址"


def test_every_bad_row_is_reported_with_its_row_and_column_and_nothing_is_written(world):
    data = xlsx(
        [
            POINT_HEADER,
            ["A-1", "好点位", "NMSC", "", "", "", "", "松林街道", "", ""],
            ["A-2", "坏类型", "飞船站", "", "", "", "", "松林街道", "", ""],
            ["A-3", "坏单位", "NMSC", "", "", "", "", "不存在的单位", "", ""],
            ["A-4", "坏坐标", "NMSC", "", 0, 0, "WGS-84", "松林街道", "", ""],
            ["A-1", "重复编号", "NMSC", "", "", "", "", "松林街道", "", ""],
        ]
    )
    report = importing.import_points(data, world.office, commit=True)
    assert not report.committed and not Point.objects.exists()
    where = {(e.row, e.column) for e in report.errors}
    assert {(3, "C"), (4, "H"), (5, "F"), (6, "A")} <= where


def test_an_unknown_leader_is_kept_as_text_with_a_warning(world):
    data = xlsx([POINT_HEADER, ["A-9", "松林公园", "GY", "", "", "", "", "松林街道", "张无名", ""]])
    report = importing.import_points(data, world.office, commit=True)
    assert report.committed and report.warnings[0].column == "I"
    assert Point.objects.get(code="A-9").leader_name == "张无名"


def test_a_unit_admin_cannot_import_points_for_a_sibling_street(world):
    data = xlsx([POINT_HEADER, ["B-1", "柳岸菜场", "NMSC", "", "", "", "", "柳岸街道", "", ""]])
    report = importing.import_points(data, world.unit_admin_a, commit=True)
    assert not report.ok and "outside" in report.errors[0].message


def test_a_file_that_is_not_excel_is_refused_clearly(world):
    report = importing.import_points(b"name,type\n1,2\n", world.office)
    assert not report.ok and report.errors[0].row == 0


def test_exported_points_import_back_unchanged(world):
    importing.import_points(
        xlsx(
            [
                POINT_HEADER,
                ["A-1", "松林菜市场", "NMSC", "松林路8号", 120.16, 30.27, "高德", "松林街道", "", "是"],
            ]
        ),
        world.office,
        commit=True,
    )
    before = Point.objects.get(code="A-1")
    exported = importing.export_points(Point.objects.all())
    report = importing.import_points(exported, world.office, commit=True)
    assert (report.created, report.updated) == (0, 1), report.errors
    after = Point.objects.get(code="A-1")
    assert geo.haversine_m(before.lat, before.lng, after.lat, after.lng) < 0.01
    assert after.is_key and after.input_datum == "wgs84"


def test_templates_export_and_import_round_trip_with_edits(world):
    exported = checklists_io.export_templates()
    book = load_workbook(io.BytesIO(exported))
    sheet = book["checklists"]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == "主次干道" and row[1].value == 7:
            row[5].value = '{"walk_m": 500, "min_count": 1}'
    sheet.append(["主次干道", 9, "Ⅲ-60", "无飞线充电", "absence", "", "deduction", 2, 1])
    out = io.BytesIO()
    book.save(out)
    report = checklists_io.import_templates(out.getvalue(), world.office, commit=True)
    assert report.committed, report.errors
    assert ChecklistItem.objects.get(point_type__code="ZCGD", number=7).params["walk_m"] == 500
    new = ChecklistItem.objects.get(point_type__code="ZCGD", number=9)
    assert (new.check_mode, new.scoring, float(new.points)) == ("observe_absence", "deduction", 2.0)
    assert PointType.objects.count() == 31


def test_a_template_row_with_bad_json_and_an_unknown_mode_names_both_columns(world):
    data = xlsx(
        [
            ["point_type", "item", "text", "check_mode", "params", "scoring"],
            ["主次干道", 1, "x", "teleport", "{bad", "pass_fail"],
        ]
    )
    report = checklists_io.import_templates(data, world.office, commit=True)
    assert not report.committed
    assert {(e.row, e.column) for e in report.errors} == {(2, "D"), (2, "E")}
