"""Excel import of street-front shops (沿街商户). The house rules: `core.excel.read_workbook` and
`find_header` (title rows, synonyms), every error with its row and column letter, a dry run
unless committed, and everything written in one transaction or nothing. A shop is matched by
name within its grid and updated; new ones are created."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from chuangwen.accounts.scope import scope_for
from chuangwen.audit.services import log_action
from chuangwen.core import geo
from chuangwen.core.dates import DateTextError, parse_moment
from chuangwen.core.excel import (
    SpreadsheetError,
    cell,
    cell_text,
    column_letter,
    find_header,
    is_blank,
    read_workbook,
)
from chuangwen.core.text import normalize_name, normalize_phone
from chuangwen.org.models import Grid, Road
from chuangwen.points.xlsx import ImportReport
from chuangwen.shops.models import Category, Shop
from chuangwen.shops.services import road_position

SYNONYMS = {
    "name": ["商户名称", "单位名称", "店名", "名称", "name"],
    "category": ["类别", "行业", "类型", "category"],
    "address": ["地址", "详细地址", "address"],
    "lng": ["经度", "lng", "longitude"],
    "lat": ["纬度", "lat", "latitude"],
    "datum": ["坐标系", "datum"],
    "grid": ["网格", "所属网格", "grid"],
    "road": ["道路", "所在道路", "路段", "road"],
    "licence_no": ["营业执照号", "统一社会信用代码", "执照号"],
    "licence_seen": ["营业执照已查验", "营业执照", "证照齐全"],
    "licence_expiry": ["营业执照有效期", "执照有效期"],
    "food_seen": ["食品经营许可已查验", "食品经营许可"],
    "food_expiry": ["食品经营许可有效期", "食品许可有效期"],
    "contact_name": ["联系人", "负责人", "店主"],
    "contact_phone": ["联系电话", "电话", "手机"],
}
YES = {"是", "y", "yes", "1", "true", "√", "有", "齐全"}
DATUMS = {
    "wgs84": geo.WGS84,
    "wgs-84": geo.WGS84,
    "gcj-02": geo.GCJ02,
    "gcj02": geo.GCJ02,
    "bd-09": geo.BD09,
    "bd09": geo.BD09,
}
UPDATED = (
    "category",
    "address",
    "lat",
    "lng",
    "road_id",
    "unit_id",
    "road_position_m",
    "licence_no",
    "licence_seen",
    "licence_expiry",
    "food_licence_seen",
    "food_licence_expiry",
    "contact_name",
    "contact_phone",
)


def _categories() -> dict[str, str]:
    """Category by its Chinese label, its short name in brackets, its English label or value."""
    found: dict[str, str] = {}
    for value, label in Category.choices:
        found[normalize_name(value)] = value
        found[normalize_name(str(label))] = value
        with translation.override("zh-hans"):
            chinese = str(label)
        found[normalize_name(chinese)] = value
        for part in (chinese, str(label)):
            if "(" in part:
                found[normalize_name(part.split("(", 1)[1].rstrip(")"))] = value
            if "（" in part:
                found[normalize_name(part.split("（", 1)[1].rstrip("）"))] = value
    return found


def _date(value: Any):
    if value in ("", None):
        return None, False
    try:
        moment = parse_moment(value)
    except DateTextError:
        return None, True
    return (moment.date(), False) if moment else (None, True)


def import_shops(data: bytes, actor: Any, commit: bool = False, request: Any = None) -> ImportReport:
    report = ImportReport()
    try:
        sheets = read_workbook(data, max_bytes=settings.UPLOAD_MAX_BYTES)
    except SpreadsheetError as exc:
        report.error(0, "", str(exc))
        return report
    found = None
    for sheet in sheets:
        header = find_header(sheet.rows, SYNONYMS, ["name", "category", "grid"])
        if header:
            found = (sheet, header)
            break
    if found is None:
        report.error(0, "", _("No header row with the columns 商户名称, 类别 and 网格 was found."))
        return report
    sheet, header = found
    scope = scope_for(actor)
    categories = _categories()
    grids = {normalize_name(g.code): g for g in Grid.objects.select_related("unit")}
    for grid_row in Grid.objects.select_related("unit"):
        grids.setdefault(normalize_name(grid_row.name), grid_row)
    roads = {normalize_name(r.name): r for r in Road.objects.all()}
    existing = {(normalize_name(s.name), s.grid_id): s for s in Shop.objects.filter(grid__isnull=False)}
    planned: list[tuple[Shop, bool]] = []
    seen: set[tuple[str, int]] = set()

    def letter(key: str) -> str:
        return column_letter(header.columns[key]) if key in header.columns else ""

    for index in range(header.row_index + 1, len(sheet.rows)):
        row = sheet.rows[index]
        if is_blank(row):
            continue
        line = index + 1
        before = len(report.errors)
        name = cell_text(row, header, "name")[:120]
        if not name:
            report.error(line, letter("name"), _("The shop's name is required."), sheet.name)
        category_text = cell_text(row, header, "category")
        category = categories.get(normalize_name(category_text))
        if category is None:
            report.error(
                line, letter("category"), _("Unknown category “%(v)s”.") % {"v": category_text}, sheet.name
            )
        grid_text = cell_text(row, header, "grid")
        grid = grids.get(normalize_name(grid_text))
        if grid is None:
            report.error(line, letter("grid"), _("Unknown grid “%(v)s”.") % {"v": grid_text}, sheet.name)
        elif not scope.covers(grid.unit):
            report.error(
                line,
                letter("grid"),
                _("The grid “%(v)s” is outside your units.") % {"v": grid_text},
                sheet.name,
            )
        road = None
        road_text = cell_text(row, header, "road")
        if road_text:
            road = roads.get(normalize_name(road_text))
            if road is None:
                report.error(line, letter("road"), _("Unknown road “%(v)s”.") % {"v": road_text}, sheet.name)
        lat = lng = None
        lat_raw, lng_raw = cell(row, header, "lat"), cell(row, header, "lng")
        if lat_raw not in ("", None) or lng_raw not in ("", None):
            datum_text = normalize_name(cell_text(row, header, "datum"))
            datum = DATUMS.get(datum_text, geo.GCJ02) if datum_text else geo.GCJ02
            try:
                lat, lng = geo.to_wgs84(*geo.parse_position(lat_raw, lng_raw), datum)
            except geo.PositionError as exc:
                report.error(line, letter("lat") or letter("lng"), str(exc), sheet.name)
        dates = {}
        for key in ("licence_expiry", "food_expiry"):
            value, bad = _date(cell(row, header, key))
            if bad:
                report.error(
                    line,
                    letter(key),
                    _("Not a date: “%(v)s”.") % {"v": cell_text(row, header, key)},
                    sheet.name,
                )
            dates[key] = value
        phone_text = cell_text(row, header, "contact_phone")
        phone = normalize_phone(phone_text) if phone_text else ""
        if phone is None:
            report.error(
                line,
                letter("contact_phone"),
                _("Not a phone number: “%(v)s”.") % {"v": phone_text},
                sheet.name,
            )
        if len(report.errors) > before:
            continue
        key = (normalize_name(name), grid.pk)
        if key in seen:
            report.error(line, letter("name"), _("This shop appears twice in the same grid."), sheet.name)
            continue
        seen.add(key)
        shop = existing.get(key)
        new = shop is None
        shop = shop or Shop(name=name, grid=grid, duties=[])
        shop.category = category
        shop.address = cell_text(row, header, "address")[:200]
        shop.lat, shop.lng = lat, lng
        shop.road_id = road.pk if road else None
        shop.unit_id = grid.unit_id
        shop.road_position_m = road_position(shop.road_id, lat, lng)
        shop.licence_no = cell_text(row, header, "licence_no")[:40]
        shop.licence_seen = normalize_name(cell_text(row, header, "licence_seen")) in YES
        shop.licence_expiry = dates["licence_expiry"]
        shop.food_licence_seen = normalize_name(cell_text(row, header, "food_seen")) in YES
        shop.food_licence_expiry = dates["food_expiry"]
        shop.contact_name = cell_text(row, header, "contact_name")[:60]
        shop.contact_phone = phone or ""
        planned.append((shop, new))
    report.created = sum(1 for _s, new in planned if new)
    report.updated = len(planned) - report.created
    if not planned and report.ok:
        report.error(0, "", _("The sheet has a header but no shops below it."))
    if not report.ok or not commit:
        return report
    with transaction.atomic():
        Shop.objects.bulk_create([s for s, new in planned if new], batch_size=500)
        changed = [s for s, new in planned if not new]
        for shop in changed:
            shop.version += 1
        Shop.objects.bulk_update(changed, [*UPDATED, "version"], batch_size=500)
        log_action(
            actor,
            "shops.shop.import",
            None,
            {"created": report.created, "updated": report.updated},
            request=request,
            object_repr=_("street-front shops"),
        )
        report.committed = True
    return report
