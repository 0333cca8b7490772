"""Importing an evaluation system from a spreadsheet shaped like the reference table
(level1_code, level1_name, level2_code, level2_name, level3_code, level3_name, methods,
standard [, points]), with Chinese header synonyms, and an optional 负面清单 sheet.

`read_indicator_table()` only reads and checks (the dry run); `apply_indicator_table()`
writes everything in one transaction.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any

from django.db import transaction
from django.utils.translation import gettext as _

from chuangwen.audit.services import log_action
from chuangwen.core.excel import (
    Header,
    cell_text,
    column_letter,
    find_header,
    is_blank,
    read_workbook,
)
from chuangwen.core.text import normalize_name
from chuangwen.indicators.models import EvaluationSystem, GradeBand, Indicator, IndicatorLevel, NegativeItem
from chuangwen.indicators.parsing import parse_grade_bands, parse_methods, parse_sanction

SYNONYMS: dict[str, list[str]] = {
    "level1_code": ["level1_code", "一级指标编号", "测评项目编号", "一级编号"],
    "level1_name": ["level1_name", "测评项目", "一级指标", "一级指标名称"],
    "level2_code": ["level2_code", "二级指标编号", "测评内容编号", "二级编号"],
    "level2_name": ["level2_name", "测评内容", "二级指标", "二级指标名称", "指标名称"],
    "level3_code": ["level3_code", "三级指标编号", "测评标准编号", "三级编号"],
    "level3_name": ["level3_name", "三级指标", "三级指标名称", "测评标准名称"],
    "methods": ["methods", "测评方式", "测评方法", "测评方式方法"],
    "standard": ["standard", "测评标准", "测评要求", "具体要求", "标准内容"],
    "points": ["points", "分值", "分数", "权重"],
}
NEGATIVE_SYNONYMS: dict[str, list[str]] = {
    "name": ["name", "负面清单", "负面清单事项", "事项", "名称"],
    "description": ["description", "说明", "具体情形", "情形"],
    "sanction": ["sanction", "处理方式", "处罚", "扣分", "罚分", "处理"],
}


@dataclass
class Problem:
    """One thing wrong with the file, where the user can find it in Excel."""

    row: int  # 1-based spreadsheet row (0 when it concerns the whole file)
    column: str  # column letter, "" when it concerns the row or file
    message: str
    sheet: str = ""
    suggestions: list[str] = field(default_factory=list)
    value: str = ""
    code: str = ""  # a machine-readable kind, e.g. "unknown_unit", for pages that offer a fix

    def where(self) -> str:
        if not self.row:
            return self.sheet
        place = f"{self.column}{self.row}" if self.column else _("row %(row)d") % {"row": self.row}
        return f"{self.sheet}!{place}" if self.sheet else place

    def __str__(self) -> str:
        return f"{self.where()}: {self.message}" if self.where() else self.message

    def as_dict(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "message": self.message,
            "value": self.value,
            "suggestions": self.suggestions,
            "code": self.code,
        }


@dataclass
class IndicatorRow:
    row: int
    level: int
    code: str
    name: str
    parent_code: str = ""
    standard: str = ""
    methods: list[str] = field(default_factory=list)
    points: Decimal | None = None


@dataclass
class NegativeRow:
    row: int
    name: str
    description: str
    sanction: str
    points: Decimal | None


@dataclass
class IndicatorTable:
    rows_read: int = 0
    indicators: list[IndicatorRow] = field(default_factory=list)
    negatives: list[NegativeRow] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def counts(self) -> dict[str, int]:
        by_level = Counter(r.level for r in self.indicators)
        methods = Counter(m for r in self.indicators if r.level == 3 for m in r.methods)
        return {
            "level1": by_level[1],
            "level2": by_level[2],
            "level3": by_level[3],
            "negative_items": len(self.negatives),
            **{f"method_{k}": v for k, v in sorted(methods.items())},
        }

    def summary(self) -> dict[str, Any]:
        return {
            "rows_read": self.rows_read,
            **self.counts(),
            "errors": [e.as_dict() for e in self.errors],
        }


def generated_code(level: int, name: str) -> str:
    """A code for an item written without one: stable across re-imports of the same text."""
    return f"L{level}-{hashlib.sha1(normalize_name(name).encode()).hexdigest()[:12]}"  # noqa: S324


def _code(level: int, code: str, name: str) -> str:
    return code[:40] if code else generated_code(level, name)


def _points(text: str) -> Decimal | None:
    if not text:
        return None
    try:
        return Decimal(text.rstrip("分"))
    except InvalidOperation:
        return None


def read_indicator_table(
    source: str | Path | bytes | IO[bytes], max_bytes: int | None = None
) -> IndicatorTable:
    """Read and check the file; nothing is written. Unreadable files raise SpreadsheetError."""
    table = IndicatorTable()
    sheets = read_workbook(source, max_bytes=max_bytes)
    found_tree = False
    for sheet in sheets:
        header = find_header(sheet.rows, SYNONYMS, required=["level1_name", "level2_name"])
        if header and ("level3_name" in header.columns or "standard" in header.columns):
            found_tree = True
            _read_tree(sheet.name, sheet.rows, header, table)
            continue
        negative = find_header(sheet.rows, NEGATIVE_SYNONYMS, required=["name", "sanction"])
        if negative:
            _read_negatives(sheet.name, sheet.rows, negative, table)
    if not found_tree:
        table.errors.append(
            Problem(
                0,
                "",
                _(
                    "No header row was found. The table needs columns for 测评项目 (level 1), 测评内容 (level 2) and 测评标准 (level 3)."
                ),
            )
        )
    return table


def _read_tree(sheet: str, rows: list[list[Any]], header: Header, table: IndicatorTable) -> None:
    seen: dict[str, IndicatorRow] = {}
    last: dict[str, str] = {"level1_name": "", "level1_code": "", "level2_name": "", "level2_code": ""}
    for index in range(header.row_index + 1, len(rows)):
        row = rows[index]
        if is_blank(row):
            continue
        number = index + 1
        values = {key: cell_text(row, header, key) for key in SYNONYMS}
        if not any(values[k] for k in ("level3_name", "level3_code", "standard", "level2_name")):
            continue
        table.rows_read += 1
        # Offices leave the upper levels blank below the first row of a group: carry them down
        # (a new level 1 item starts a new group, so its level 2 is never carried over).
        for level in ("level1", "level2"):
            name, code = f"{level}_name", f"{level}_code"
            if values[name] or values[code]:
                if (values[name], values[code]) != (last[name], last[code]) and level == "level1":
                    last["level2_name"] = last["level2_code"] = ""
                last[name], last[code] = values[name], values[code]
            else:
                values[name], values[code] = last[name], last[code]
        if not values["level1_name"] and not values["level1_code"]:
            table.errors.append(
                Problem(number, _col(header, "level1_name"), _("The level 1 item is missing."), sheet)
            )
            continue
        if not values["level2_name"] and not values["level2_code"]:
            table.errors.append(
                Problem(number, _col(header, "level2_name"), _("The level 2 item is missing."), sheet)
            )
            continue
        l1 = IndicatorRow(
            number, 1, _code(1, values["level1_code"], values["level1_name"]), values["level1_name"]
        )
        l2 = IndicatorRow(
            number, 2, _code(2, values["level2_code"], values["level2_name"]), values["level2_name"], l1.code
        )
        for item in (l1, l2):
            seen.setdefault(item.code, item)
            if not seen[item.code].name and item.name:
                seen[item.code].name = item.name
        name3 = values["level3_name"] or values["standard"][:200]
        if not name3 and not values["level3_code"]:
            continue
        methods, unknown = parse_methods(values["methods"])
        for word in unknown:
            table.errors.append(
                Problem(
                    number,
                    _col(header, "methods"),
                    _("Unknown assessment method “%(m)s”.") % {"m": word},
                    sheet,
                    value=word,
                )
            )
        points = _points(values["points"])
        if values["points"] and points is None:
            table.errors.append(
                Problem(
                    number,
                    _col(header, "points"),
                    _("Points must be a number."),
                    sheet,
                    value=values["points"],
                )
            )
        l3 = IndicatorRow(
            number,
            3,
            _code(3, values["level3_code"], name3),
            name3[:200],
            l2.code,
            values["standard"],
            methods,
            points,
        )
        if l3.code in seen:
            table.errors.append(
                Problem(
                    number,
                    _col(header, "level3_code"),
                    _("Code %(code)s appears twice.") % {"code": l3.code},
                    sheet,
                )
            )
            continue
        seen[l3.code] = l3
    table.indicators.extend(seen.values())


def _read_negatives(sheet: str, rows: list[list[Any]], header: Header, table: IndicatorTable) -> None:
    for index in range(header.row_index + 1, len(rows)):
        row = rows[index]
        name = cell_text(row, header, "name")
        if is_blank(row) or not name:
            continue
        sanction, points = parse_sanction(cell_text(row, header, "sanction"))
        if sanction == "deduct" and points is None:
            table.errors.append(
                Problem(
                    index + 1,
                    _col(header, "sanction"),
                    _("Write the sanction as “扣N分” or “取消资格”."),
                    sheet,
                    value=cell_text(row, header, "sanction"),
                )
            )
            continue
        table.negatives.append(
            NegativeRow(index + 1, name[:120], cell_text(row, header, "description"), sanction, points)
        )


def _col(header: Header, key: str) -> str:
    col = header.columns.get(key)
    return column_letter(col) if col is not None else ""


@dataclass
class ApplyResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@transaction.atomic
def apply_indicator_table(
    table: IndicatorTable, system: EvaluationSystem, actor: Any, request: Any = None
) -> ApplyResult:
    """Write the checked table into `system`: indicators upserted by code, grade bands
    re-derived from each standard, negative-list items upserted by name."""
    if not table.ok:
        raise ValueError("refusing to write a table with errors")
    if system.pk is None:
        system.save()
    result = ApplyResult()
    existing = {i.code: i for i in Indicator.objects.filter(system=system)}
    by_code: dict[str, Indicator] = {}
    for row in sorted(table.indicators, key=lambda r: r.level):
        parent = by_code.get(row.parent_code) or existing.get(row.parent_code)
        values = {
            "level": row.level,
            "name": row.name,
            "parent": parent,
            "standard": row.standard,
            "methods": row.methods,
            "points": row.points,
            "position": row.row * 10 + row.level,
        }
        obj = existing.get(row.code)
        if obj is None:
            obj = Indicator(system=system, code=row.code, **values)
            obj.save()
            result.created += 1
        else:
            changed = [
                k for k, v in values.items() if getattr(obj, k) != v and not (k == "points" and v is None)
            ]
            for key in changed:
                setattr(obj, key, values[key])
            if changed:
                obj.save()
                result.updated += 1
            else:
                result.unchanged += 1
        by_code[row.code] = obj
    level3 = [i for i in by_code.values() if i.level == IndicatorLevel.III]
    GradeBand.objects.filter(indicator__in=level3).delete()
    bands = []
    for indicator in level3:
        for band in parse_grade_bands(indicator.standard):
            bands.append(
                GradeBand(
                    indicator=indicator,
                    grade=band.grade,
                    measure=band.measure,
                    comparator=band.threshold.comparator,
                    value=band.threshold.value,
                    unit=band.threshold.unit,
                    expression=band.threshold.expression,
                )
            )
    GradeBand.objects.bulk_create(bands)
    for row in table.negatives:
        NegativeItem.objects.update_or_create(
            system=system,
            name=row.name,
            defaults={"description": row.description, "sanction": row.sanction, "points": row.points},
        )
    log_action(
        actor,
        "indicators.system.import",
        system,
        {**table.counts(), "created": result.created, "updated": result.updated, "grade_bands": len(bands)},
        request=request,
    )
    return result
