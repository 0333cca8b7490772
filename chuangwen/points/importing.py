"""Excel import and export of points (checklist templates are in points.checklists_io).

Both imports follow the house rules: read with `core.excel.read_workbook`, find the header with
`find_header` (title rows, synonyms), report every error with its row and column letter, and
write everything in one transaction or nothing. Without `commit` they are a dry run.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from chuangwen.accounts.scope import scope_for
from chuangwen.audit.services import log_action
from chuangwen.core import geo
from chuangwen.core.excel import (
    Header,
    SpreadsheetError,
    cell,
    cell_text,
    column_letter,
    find_header,
    is_blank,
    read_workbook,
)
from chuangwen.core.text import normalize_name
from chuangwen.org.models import Grid, Person, Unit
from chuangwen.points.models import Datum, Point, PointType
from chuangwen.points.xlsx import ImportReport, Table, workbook_bytes

# ---------------------------------------------------------------- points

POINT_SYNONYMS = {
    "name": ["点位名称", "点位", "名称", "name"],
    "code": ["点位编号", "点位编码", "编号", "编码", "code"],
    "type": ["点位类型", "类型", "类别", "type"],
    "address": ["地址", "详细地址", "位置", "address"],
    "lng": ["经度", "lng", "longitude", "lon"],
    "lat": ["纬度", "lat", "latitude"],
    "datum": ["坐标系", "坐标类型", "datum"],
    "grid": ["网格", "所属网格", "grid"],
    "unit": ["责任单位", "单位", "unit"],
    "leader": ["责任领导", "leader"],
    "cadre": ["责任干部", "责任人", "cadre"],
    "key": ["重点点位", "重点", "key"],
    "fixed": ["固定点位", "申报点位", "固定", "fixed"],
    "radius": ["签到半径", "半径", "签到半径米", "radius"],
    "note": ["备注", "note"],
}
POINT_HEADERS = [
    "点位编号",
    "点位名称",
    "点位类型",
    "地址",
    "经度",
    "纬度",
    "坐标系",
    "网格",
    "责任单位",
    "责任领导",
    "责任干部",
    "重点点位",
    "固定点位",
    "签到半径",
    "备注",
]
DATUM_WORDS = {
    Datum.WGS84: ["wgs84", "wgs-84", "gps", "wgs"],
    Datum.GCJ02: ["gcj02", "gcj-02", "高德", "腾讯", "火星", "国测局"],
    Datum.BD09: ["bd09", "bd-09", "百度"],
}
YES = {"是", "y", "yes", "1", "true", "√", "重点", "固定"}


def _datum_of(text: str) -> str | None:
    key = normalize_name(text)
    for datum, words in DATUM_WORDS.items():
        if any(normalize_name(w) == key or normalize_name(w) in key for w in words):
            return datum
    return None


def export_points(points: Any) -> bytes:
    rows = (
        [
            p.code,
            p.name,
            p.point_type.name,
            p.address,
            p.lng,
            p.lat,
            "WGS-84" if p.lat is not None else "",
            p.grid.code if p.grid_id else "",
            p.unit.name,
            p.leader.name if p.leader_id else p.leader_name,
            p.cadre.name if p.cadre_id else p.cadre_name,
            "是" if p.is_key else "",
            "是" if p.is_fixed else "",
            p.radius_m,
            p.note,
        ]
        for p in points.select_related("point_type", "grid", "unit", "leader", "cadre")
    )
    return workbook_bytes([Table("points", POINT_HEADERS, rows, widths=[12, 28, 14, 30, 12, 12, 9, 10, 20])])


class _Resolver:
    """Name lookups with a cache: spreadsheets repeat the same unit on hundreds of rows."""

    def __init__(self) -> None:
        self.types = {}
        for t in PointType.objects.all():
            self.types[normalize_name(t.name)] = t
            self.types[normalize_name(t.code)] = t
        self.units: dict[str, Unit | None] = {}
        self.people: dict[str, list[Person]] = {}
        self.grids: dict[str, Grid | None] = {}

    def unit(self, name: str) -> Unit | None:
        if name not in self.units:
            self.units[name] = Unit.objects.find_by_name(name)
        return self.units[name]

    def grid(self, text: str) -> Grid | None:
        if text not in self.grids:
            self.grids[text] = (
                Grid.objects.filter(code=text).first() or Grid.objects.filter(name=text).first()
            )
        return self.grids[text]

    def person(self, name: str, unit: Unit | None) -> tuple[Person | None, bool]:
        """(person, ambiguous): one active person of that name, preferring the unit's subtree."""
        if name not in self.people:
            self.people[name] = list(Person.objects.filter(name=name, is_active=True).select_related("unit"))
        found = self.people[name]
        if len(found) > 1 and unit is not None:
            near = [
                p for p in found if p.unit.path.startswith(unit.path) or unit.path.startswith(p.unit.path)
            ]
            found = near or found
        if len(found) == 1:
            return found[0], False
        return None, len(found) > 1


def import_points(
    data: bytes, actor: Any, default_datum: str = Datum.GCJ02, commit: bool = False, request: Any = None
) -> ImportReport:
    """Points matched by code (else by name within the unit), created or updated."""
    report = ImportReport()
    try:
        sheets = read_workbook(data, max_bytes=settings.UPLOAD_MAX_BYTES)
    except SpreadsheetError as exc:
        report.error(0, "", str(exc))
        return report
    found = None
    for sheet in sheets:
        header = find_header(sheet.rows, POINT_SYNONYMS, ["name", "type", "unit"])
        if header:
            found = (sheet, header)
            break
    if found is None:
        report.error(0, "", _("No header row with the columns 点位名称, 点位类型 and 责任单位 was found."))
        return report
    sheet, header = found
    resolver = _Resolver()
    scope = scope_for(actor)
    by_code = {p.code: p for p in Point.objects.exclude(code="")}
    by_name = {(normalize_name(p.name), p.unit_id): p for p in Point.objects.all()}
    planned: list[tuple[Point, bool]] = []
    seen_codes: set[str] = set()
    seen_names: set[tuple[str, int]] = set()
    for index in range(header.row_index + 1, len(sheet.rows)):
        row = sheet.rows[index]
        if is_blank(row):
            continue
        result = _point_row(index + 1, row, header, resolver, scope, default_datum, report, sheet.name)
        if result is None:
            continue
        values, line = result
        code = values["code"]
        if code and code in seen_codes:
            report.error(
                line,
                column_letter(header.columns["code"]),
                _("Code %(c)s appears twice in the file.") % {"c": code},
                sheet.name,
            )
            continue
        name_key = (normalize_name(values["name"]), values["unit"].pk)
        if name_key in seen_names and not code:
            report.error(
                line,
                column_letter(header.columns["name"]),
                _("This point appears twice for the same unit."),
                sheet.name,
            )
            continue
        seen_codes.add(code)
        seen_names.add(name_key)
        existing = by_code.get(code) if code else by_name.get(name_key)
        point = existing or Point()
        for field_name, value in values.items():
            if field_name == "location":
                point.set_location(*value) if value else point.set_location(None, None)
            else:
                setattr(point, field_name, value)
        planned.append((point, existing is None))
    report.created = sum(1 for _p, new in planned if new)
    report.updated = len(planned) - report.created
    if not planned and report.ok:
        report.error(0, "", _("The sheet has a header but no points below it."))
    if not report.ok or not commit:
        return report
    with transaction.atomic():
        Point.objects.bulk_create([p for p, new in planned if new], batch_size=500)
        for point, new in planned:
            if not new:
                point.save()
        log_action(
            actor,
            "points.point.import",
            None,
            {"created": report.created, "updated": report.updated},
            request=request,
            object_repr=_("points"),
        )
        report.committed = True
    return report


def _point_row(
    line: int,
    row: list,
    header: Header,
    resolver: _Resolver,
    scope: Any,
    default_datum: str,
    report: ImportReport,
    sheet: str,
) -> tuple[dict[str, Any], int] | None:
    def letter(key: str) -> str:
        return column_letter(header.columns[key]) if key in header.columns else ""

    errors_before = len(report.errors)
    name = cell_text(row, header, "name")
    if not name:
        report.error(line, letter("name"), _("The point's name is required."), sheet)
    type_text = cell_text(row, header, "type")
    point_type = resolver.types.get(normalize_name(type_text))
    if point_type is None:
        report.error(line, letter("type"), _("Unknown point type “%(v)s”.") % {"v": type_text}, sheet)
    unit_text = cell_text(row, header, "unit")
    unit = resolver.unit(unit_text) if unit_text else None
    if unit is None:
        report.error(line, letter("unit"), _("Unknown unit “%(v)s”.") % {"v": unit_text}, sheet)
    elif not scope.covers(unit):
        report.error(
            line, letter("unit"), _("The unit “%(v)s” is outside your units.") % {"v": unit_text}, sheet
        )
    location = None
    lat_raw, lng_raw = cell(row, header, "lat"), cell(row, header, "lng")
    if lat_raw not in ("", None) or lng_raw not in ("", None):
        datum_text = cell_text(row, header, "datum")
        datum = _datum_of(datum_text) if datum_text else default_datum
        if datum is None:
            report.error(
                line, letter("datum"), _("Unknown coordinate system “%(v)s”.") % {"v": datum_text}, sheet
            )
        try:
            lat, lng = geo.parse_position(lat_raw, lng_raw)
            location = (lat, lng, datum or default_datum)
        except geo.PositionError as exc:
            report.error(line, letter("lat") or letter("lng"), str(exc), sheet)
    grid = None
    grid_text = cell_text(row, header, "grid")
    if grid_text:
        grid = resolver.grid(grid_text)
        if grid is None:
            report.error(line, letter("grid"), _("Unknown grid “%(v)s”.") % {"v": grid_text}, sheet)
    radius = cell(row, header, "radius")
    try:
        radius_m = int(radius) if radius not in ("", None) else 200
        if not 10 <= radius_m <= 5000:
            raise ValueError
    except (TypeError, ValueError):
        report.error(
            line, letter("radius"), _("The radius must be a whole number of metres from 10 to 5000."), sheet
        )
        radius_m = 200
    values: dict[str, Any] = {
        "name": name,
        "code": cell_text(row, header, "code"),
        "point_type": point_type,
        "unit": unit,
        "address": cell_text(row, header, "address"),
        "location": location,
        "grid": grid,
        "radius_m": radius_m,
        "is_key": normalize_name(cell_text(row, header, "key")) in YES,
        "is_fixed": normalize_name(cell_text(row, header, "fixed")) in YES,
        "note": cell_text(row, header, "note")[:200],
    }
    for role in ("leader", "cadre"):
        text = cell_text(row, header, role)
        person, ambiguous = resolver.person(text, unit) if text else (None, False)
        values[role] = person
        values[f"{role}_name"] = text[:60]
        if text and person is None:
            message = (
                _("Several people are named “%(v)s”; the name is kept as text.")
                if ambiguous
                else _("No person named “%(v)s”; the name is kept as text.")
            )
            report.warn(line, letter(role), message % {"v": text}, sheet)
    if len(report.errors) > errors_before:
        return None
    return values, line
