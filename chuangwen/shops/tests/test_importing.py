"""Importing street-front shops from Excel: the template imports as it is, errors name their
row and column, nothing is written on a dry run, a re-import updates."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import reverse

from chuangwen.shops.import_template import shop_template
from chuangwen.shops.importing import import_shops
from chuangwen.shops.models import Category, Shop
from chuangwen.shops.tests.fixtures import road_of_a

pytestmark = pytest.mark.django_db


def _book(rows: list[list]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["松林街道沿街商户台账"])  # a title row, as offices write them
    sheet.append(["商户名称", "类别", "地址", "网格", "道路", "营业执照已查验", "营业执照有效期", "联系电话"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_template_imports_as_it_is(world):
    grid, road, _line = road_of_a(world)
    report = import_shops(shop_template(grid.code, road.name), world.duty_a, commit=True)
    assert report.ok, report.errors
    shop = Shop.objects.get()
    assert shop.unit_id == world.community_a.pk and shop.category == Category.SMALL_CATERING
    assert shop.road_position_m is not None  # placed along the road's line


def test_a_dry_run_writes_nothing_and_errors_name_row_and_column(world):
    grid, _road, _line = road_of_a(world)
    data = _book(
        [
            ["好味小吃", "小餐饮", "松林路1号", grid.code, "", "是", "2028年6月30日", "13800001234"],
            ["", "洗衣店", "", "不存在的网格", "无名路", "", "明年", "12"],
        ]
    )
    report = import_shops(data, world.duty_a, commit=True)
    assert not report.ok and Shop.objects.count() == 0
    where = {(e.row, e.column) for e in report.errors}
    assert {(4, "A"), (4, "B"), (4, "D"), (4, "E"), (4, "G"), (4, "H")} <= where
    clean = _book([["好味小吃", "小餐饮", "松林路1号", grid.code, "", "是", "2028年6月30日", "13800001234"]])
    assert import_shops(clean, world.duty_a).ok and Shop.objects.count() == 0  # the dry run


def test_a_reimport_updates_the_shop_of_the_same_name_in_the_grid(world):
    grid, _road, _line = road_of_a(world)
    import_shops(
        _book([["好味小吃", "小餐饮", "1号", grid.code, "", "否", "", ""]]), world.office, commit=True
    )
    report = import_shops(
        _book([["好味小吃", "小食杂", "2号", grid.code, "", "是", "", ""]]), world.office, commit=True
    )
    assert (report.created, report.updated) == (0, 1)
    shop = Shop.objects.get()
    assert (shop.category, shop.address, shop.licence_seen, shop.version) == (
        Category.SMALL_GROCERY,
        "2号",
        True,
        2,
    )


def test_a_grid_outside_the_users_units_is_refused(world):
    grid, _road, _line = road_of_a(world)
    report = import_shops(
        _book([["店", "小餐饮", "", grid.code, "", "", "", ""]]), world.liaison_b, commit=True
    )
    assert not report.ok and "outside your units" in report.errors[0].message


def test_the_import_page_checks_then_imports(world):
    grid, _road, _line = road_of_a(world)
    client = world.client("duty_a")
    assert client.get(reverse("shops:import_template")).status_code == 200
    data = _book([["好味小吃", "小餐饮", "1号", grid.code, "", "是", "", ""]])
    from django.core.files.uploadedfile import SimpleUploadedFile

    page = client.post(reverse("shops:import"), {"file": SimpleUploadedFile("s.xlsx", data)})
    assert page.status_code == 200 and Shop.objects.count() == 0
    done = client.post(reverse("shops:import"), {"file": SimpleUploadedFile("s.xlsx", data), "commit": "on"})
    assert done.status_code == 302 and Shop.objects.count() == 1
