"""Excel import and export of point types and checklist items (the templates).

Same rules as every import (see points.importing): a dry run unless committed, every error with
its row and column letter, one transaction or nothing.
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from chuangwen.audit.services import log_action
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
from chuangwen.points.models import ChecklistItem, CheckMode, PointType, ScoringMode
from chuangwen.points.seed import CHECK_MODE_ALIASES, SCORING_ALIASES
from chuangwen.points.xlsx import ImportReport, Table, workbook_bytes

TYPE_SYNONYMS = {
    "code": ["code", "类型编码", "编码", "代码"],
    "name": ["name", "点位类型", "类型名称", "名称"],
    "group": ["group", "分组", "类别"],
    "typical_checks": ["typical_checks", "主要检查内容", "检查内容"],
}
ITEM_SYNONYMS = {
    "point_type": ["point_type", "点位类型", "类型"],
    "item": ["item", "序号", "条目序号", "编号"],
    "indicator": ["indicator_ref", "indicator", "测评指标", "指标"],
    "text": ["text", "测评标准", "标准", "内容"],
    "check_mode": ["check_mode", "检查方式"],
    "params": ["params", "参数"],
    "scoring": ["scoring", "计分方式", "评分方式"],
    "points": ["points", "分值"],
    "weight": ["weight", "权重"],
}
TYPE_HEADERS = ["code", "name", "group", "typical_checks"]
ITEM_HEADERS = [
    "point_type",
    "item",
    "indicator_ref",
    "text",
    "check_mode",
    "params",
    "scoring",
    "points",
    "weight",
]


def export_templates() -> bytes:
    types = PointType.objects.order_by("sort_order", "code")
    items = ChecklistItem.objects.select_related("point_type").order_by("point_type__sort_order", "number")
    return workbook_bytes(
        [
            Table("point_types", TYPE_HEADERS, ([t.code, t.name, t.group, t.typical_checks] for t in types)),
            Table(
                "checklists",
                ITEM_HEADERS,
                (
                    [
                        i.point_type.name,
                        i.number,
                        i.indicator_code,
                        i.text,
                        i.check_mode,
                        json.dumps(i.params, ensure_ascii=False) if i.params else "",
                        i.scoring,
                        float(i.points),
                        float(i.weight),
                    ]
                    for i in items
                ),
            ),
        ]
    )


def _decimal(value: Any, default: str) -> Decimal | None:
    if value in ("", None):
        return Decimal(default)
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number >= 0 else None


def import_templates(data: bytes, actor: Any, commit: bool = False, request: Any = None) -> ImportReport:
    """Point types and checklist items: matched by type code / (type, item number), else created."""
    report = ImportReport()
    try:
        sheets = read_workbook(data, max_bytes=settings.UPLOAD_MAX_BYTES)
    except SpreadsheetError as exc:
        report.error(0, "", str(exc))
        return report
    types_by_key = {normalize_name(t.name): t for t in PointType.objects.all()}
    types_by_key.update({normalize_name(t.code): t for t in PointType.objects.all()})
    type_rows: list[dict[str, Any]] = []
    item_rows: list[dict[str, Any]] = []
    for sheet in sheets:
        header = find_header(sheet.rows, ITEM_SYNONYMS, ["point_type", "item", "text"])
        if header:
            item_rows += _template_items(sheet.name, sheet.rows, header, report)
            continue
        header = find_header(sheet.rows, TYPE_SYNONYMS, ["code", "name"])
        if header:
            type_rows += _template_types(sheet.name, sheet.rows, header, report)
    if not type_rows and not item_rows and report.ok:
        report.error(
            0, "", _("No sheet with point types (code, name) or checklist items (point_type, item, text).")
        )
    new_type_keys = {normalize_name(r["name"]) for r in type_rows} | {
        normalize_name(r["code"]) for r in type_rows
    }
    for row in item_rows:
        key = normalize_name(row["point_type"])
        if key not in types_by_key and key not in new_type_keys:
            report.error(
                row["_row"],
                row["_col"],
                _("Unknown point type “%(name)s”.") % {"name": row["point_type"]},
                row["_sheet"],
            )
    if not report.ok or not commit:
        report.created = len(type_rows) + len(item_rows)
        return report
    with transaction.atomic():
        for row in type_rows:
            fields = {k: v for k, v in row.items() if not k.startswith("_")}
            obj, created = PointType.objects.update_or_create(code=fields.pop("code"), defaults=fields)
            types_by_key[normalize_name(obj.name)] = types_by_key[normalize_name(obj.code)] = obj
            report.created += created
            report.updated += not created
        for row in item_rows:
            point_type = types_by_key[normalize_name(row["point_type"])]
            fields = {
                k: v for k, v in row.items() if not k.startswith("_") and k not in ("point_type", "number")
            }
            _obj, created = ChecklistItem.objects.update_or_create(
                point_type=point_type, number=row["number"], defaults=fields
            )
            report.created += created
            report.updated += not created
        log_action(
            actor,
            "points.template.import",
            None,
            {"created": report.created, "updated": report.updated},
            request=request,
            object_repr=_("checklist templates"),
        )
        report.committed = True
    from chuangwen.points.services import link_indicators

    link_indicators(actor, request=request)
    return report


def _template_types(sheet: str, rows: list, header: Header, report: ImportReport) -> list[dict[str, Any]]:
    out = []
    for index in range(header.row_index + 1, len(rows)):
        row = rows[index]
        if is_blank(row):
            continue
        code, name = cell_text(row, header, "code"), cell_text(row, header, "name")
        if not code or not name:
            col = "code" if not code else "name"
            report.error(
                index + 1, column_letter(header.columns[col]), _("Code and name are required."), sheet
            )
            continue
        out.append(
            {
                "code": code,
                "name": name,
                "group": cell_text(row, header, "group"),
                "typical_checks": cell_text(row, header, "typical_checks"),
                "_row": index + 1,
            }
        )
    return out


def _template_items(sheet: str, rows: list, header: Header, report: ImportReport) -> list[dict[str, Any]]:
    out = []
    seen: set[tuple[str, int]] = set()
    for index in range(header.row_index + 1, len(rows)):
        row = rows[index]
        if is_blank(row):
            continue
        line = index + 1

        def letter(key: str) -> str:
            return column_letter(header.columns[key]) if key in header.columns else ""

        errors_before = len(report.errors)
        point_type = cell_text(row, header, "point_type")
        text = cell_text(row, header, "text")
        number_raw = cell(row, header, "item")
        try:
            number = int(str(number_raw).strip())
            if number <= 0:
                raise ValueError
        except ValueError:
            report.error(line, letter("item"), _("The item number must be a positive whole number."), sheet)
            number = 0
        if not point_type:
            report.error(line, letter("point_type"), _("The point type is required."), sheet)
        if not text:
            report.error(line, letter("text"), _("The standard's text is required."), sheet)
        mode_raw = cell_text(row, header, "check_mode").lower() or CheckMode.ABSENCE
        mode = CHECK_MODE_ALIASES.get(mode_raw)
        if mode is None:
            report.error(
                line, letter("check_mode"), _("Unknown check mode “%(v)s”.") % {"v": mode_raw}, sheet
            )
        scoring_raw = cell_text(row, header, "scoring").lower() or ScoringMode.PASS_FAIL
        scoring = SCORING_ALIASES.get(scoring_raw)
        if scoring is None:
            report.error(line, letter("scoring"), _("Unknown scoring “%(v)s”.") % {"v": scoring_raw}, sheet)
        params_raw = cell_text(row, header, "params")
        params: Any = {}
        if params_raw:
            try:
                params = json.loads(params_raw)
                if not isinstance(params, dict):
                    raise ValueError
            except ValueError:
                report.error(
                    line, letter("params"), _('Parameters must be JSON like {"walk_m": 200}.'), sheet
                )
        points = _decimal(cell(row, header, "points"), "1")
        weight = _decimal(cell(row, header, "weight"), "1")
        if points is None:
            report.error(line, letter("points"), _("Points must be a number ≥ 0."), sheet)
        if weight is None:
            report.error(line, letter("weight"), _("Weight must be a number ≥ 0."), sheet)
        key = (normalize_name(point_type), number)
        if key in seen:
            report.error(
                line, letter("item"), _("This item number appears twice for the same point type."), sheet
            )
        seen.add(key)
        if len(report.errors) == errors_before:
            out.append(
                {
                    "point_type": point_type,
                    "number": number,
                    "text": text,
                    "indicator_code": cell_text(row, header, "indicator"),
                    "check_mode": mode,
                    "params": params,
                    "scoring": scoring,
                    "points": points,
                    "weight": weight,
                    "_row": line,
                    "_col": letter("point_type"),
                    "_sheet": sheet,
                }
            )
    return out
