"""Reading the task tables offices really have (任务分解表) and writing them as tasks.

`read_task_table()` is the dry run: it finds the header below any title rows (two-row
headers and synonyms allowed), reads every row, resolves indicators and units, parses
deadlines and monthly arrangements, and collects every problem with its row and column.
`apply_task_table()` writes the checked result in one transaction. Each task carries a
source key (indicator, title, method), so importing the same table again updates it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.utils import timezone
from django.utils.translation import gettext as _

from chuangwen.campaigns.models import Campaign
from chuangwen.core.excel import Header, cell, cell_text, column_letter, find_header, is_blank, read_workbook
from chuangwen.core.text import clean_cell, keep_text, normalize_name
from chuangwen.indicators.importing import Problem, generated_code
from chuangwen.indicators.models import EvaluationSystem, Indicator, Method
from chuangwen.indicators.parsing import parse_methods
from chuangwen.org.models import Unit
from chuangwen.tasks.models import AssignmentRole
from chuangwen.tasks.parsing import (
    Milestone,
    Schedule,
    parse_arrangements,
    parse_people,
    parse_schedule,
    parse_unit_list,
)
from chuangwen.tasks.units import UnitResolver

SYNONYMS: dict[str, list[str]] = {
    "number": ["序号", "编号", "任务编号"],
    "level1": ["测评项目", "一级指标", "一级指标名称", "测评项目名称"],
    "level2": ["测评内容", "指标名称", "二级指标", "二级指标名称"],
    "level3": ["测评标准", "具体要求", "三级指标", "三级指标名称", "测评标准及要求"],
    "method": ["测评方式", "测评方法", "测评方式方法"],
    "title": ["任务", "工作任务", "任务名称", "任务内容", "重点任务"],
    "requirement": ["工作要求", "任务要求", "工作标准"],
    "lead": ["牵头单位", "牵头部门"],
    "responsible": ["责任单位", "责任部门", "责任科室", "责任单位科室", "承办单位"],
    "cooperating": ["配合单位", "配合部门", "协办单位"],
    "leader": ["责任领导", "分管领导"],
    "people": ["责任人", "责任干部", "具体责任人"],
    "deadline": ["完成时限", "完成时间", "时间节点", "完成期限"],
    "arrangements": ["具体安排", "工作措施", "推进计划", "工作安排", "推进措施"],
    "materials": ["材料审核具体要求", "网上申报具体要求", "材料要求", "网报材料要求"],
}
# The columns written by the export, in order: what a re-import reads back.
EXPORT_COLUMNS = [
    ("number", "序号"),
    ("level1", "测评项目"),
    ("level2", "测评内容"),
    ("level3", "测评标准"),
    ("method", "测评方式"),
    ("title", "任务"),
    ("requirement", "工作要求"),
    ("lead", "牵头单位"),
    ("responsible", "责任单位"),
    ("cooperating", "配合单位"),
    ("leader", "责任领导"),
    ("people", "责任人"),
    ("deadline", "完成时限"),
    ("arrangements", "具体安排"),
    ("materials", "材料审核具体要求"),
]
# Names a re-import understands, for methods in exports (data in a sheet, not interface text).
METHOD_WORDS = {
    "materials": "材料审核",
    "department": "部门评价",
    "photos": "实景图片",
    "field": "实地考察",
    "survey": "问卷调查",
    "phone": "电话核验",
}
UNIT_COLUMNS = {
    "lead": AssignmentRole.LEAD,
    "responsible": AssignmentRole.RESPONSIBLE,
    "cooperating": AssignmentRole.COOPERATING,
}
# Free text kept as written (full-width punctuation and all); the other columns are keys,
# names and dates, read half-width.
FREE_TEXT = ("title", "requirement", "leader", "people", "arrangements", "materials")
# Columns an office writes once for a group of rows: without merged cells the rows below are
# blank, and are read as if the cell were merged (with a warning saying so).
GROUP_COLUMNS = ("level1", "level2", "method", "lead", "leader")
_SUBTOTAL = re.compile(r"^(合计|小计|总计|共计)")
_CODE = re.compile(r"^((?:[ⅠⅡⅢ]|[IVX]{1,3}|L\d)-\d+|\d+(?:\.\d+){1,3})\s*")
TITLE_MAX = 120


@dataclass
class IndicatorRef:
    """An indicator a row points at: an existing one, or one the import will create."""

    level: int
    code: str
    name: str
    standard: str = ""
    parent: IndicatorRef | None = None
    existing: Indicator | None = None


@dataclass
class UnitRef:
    unit: Unit
    role: str
    note: str = ""


@dataclass
class TaskRow:
    """One task as read from the sheet (method is the Method key; method_label its name)."""

    row: int
    source_key: str
    indicator: IndicatorRef
    title: str
    requirement: str
    method: str
    units: list[UnitRef]
    leader_text: str
    people_text: str
    people_names: list[str]
    schedule: Schedule
    arrangements: str
    milestones: list[Milestone]
    material_requirement: str

    @property
    def method_label(self) -> str:
        return method_label(self.method)

    # Set by tasks.matching: "new", "changed" or "same", with (field, before, after) changes.
    status: str = "new"
    changes: list[tuple[str, str, str]] = field(default_factory=list)


@dataclass
class TaskTable:
    campaign: Campaign
    system: EvaluationSystem | None
    rows_read: int = 0
    tasks: list[TaskRow] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    new_indicators: dict[str, IndicatorRef] = field(default_factory=dict)
    sheet: str = ""
    # The date months without a year count from: the import date, or the campaign's first day
    # when the campaign lies ahead.
    today: dt.date = field(default_factory=timezone.localdate)

    @property
    def ok(self) -> bool:
        return not self.errors

    def status_counts(self) -> dict[str, int]:
        """How many rows are new, changed and unchanged (see tasks.matching)."""
        counts = Counter(t.status for t in self.tasks)
        return {key: counts.get(key, 0) for key in ("new", "changed", "same")}

    def method_counts(self) -> dict[str, int]:
        counts = Counter(t.method or "unspecified" for t in self.tasks)
        return dict(sorted(counts.items()))

    def method_label_counts(self) -> dict[str, int]:
        """The same counts keyed by the method's name in the interface language (实地考察 3)."""
        return {method_label(key): n for key, n in self.method_counts().items()}

    def unknown_units(self) -> list[Problem]:
        """Errors about unit names nobody recognised, one per name (for the alias form)."""
        seen: dict[str, Problem] = {}
        for problem in self.errors:
            if problem.code == "unknown_unit":
                seen.setdefault(problem.value, problem)
        return list(seen.values())

    def summary(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet,
            "rows_read": self.rows_read,
            "tasks": len(self.tasks),
            "methods": self.method_counts(),
            "new_indicators": len(self.new_indicators),
            "errors": [e.as_dict() for e in self.errors],
            "warnings": [w.as_dict() for w in self.warnings],
        }


def locate_header(rows: list[list[Any]]) -> Header | None:
    """The header row: the one naming an indicator column and a unit column with the most
    recognised columns (tables differ in which they have)."""
    best: Header | None = None
    for indicator_key in ("level3", "level2", "level1"):
        for unit_key in ("responsible", "lead", "cooperating"):
            header = find_header(rows, SYNONYMS, required=[indicator_key, unit_key], search_rows=20)
            if header and (best is None or len(header.columns) > len(best.columns)):
                best = header
    return best


def read_task_table(
    source: str | Path | bytes | IO[bytes],
    campaign: Campaign,
    system: EvaluationSystem | None = None,
    max_bytes: int | None = None,
    today: dt.date | None = None,
) -> TaskTable:
    """Read and check a task table for `campaign`; nothing is written. `today` is the import
    date (a deadline month without a year is the next such month from it).

    Raises core.excel.SpreadsheetError for files that are not readable spreadsheets.
    """
    system = system or campaign.evaluation_systems.order_by("id").first()
    table = TaskTable(campaign=campaign, system=system)
    table.today = max(today or timezone.localdate(), dt.date(campaign.year, 1, 1))
    sheets = read_workbook(source, max_bytes=max_bytes)
    for sheet in sheets:
        header = locate_header(sheet.rows)
        if header is not None:
            table.sheet = sheet.name
            _Reader(table, header, sheet.rows).read()
            from chuangwen.tasks.matching import match_rows  # it reads tasks; this module is read by it

            match_rows(table)
            return table
    table.errors.append(
        Problem(
            0,
            "",
            _(
                "No header row was found. The table needs a column naming the indicator (测评项目/测评内容/测评标准) and one naming units (牵头单位/责任单位)."
            ),
        )
    )
    return table


class _Reader:
    def __init__(self, table: TaskTable, header: Header, rows: list[list[Any]]) -> None:
        self.table = table
        self.header = header
        self.rows = rows
        self.year = table.campaign.year
        self.today = table.today
        self.units = UnitResolver(table.campaign.root_unit)
        self.keys: Counter[str] = Counter()
        self._index_indicators()

    def _index_indicators(self) -> None:
        self.by_code: dict[str, Indicator] = {}
        self.by_text: dict[tuple[int, str], Indicator] = {}
        if self.table.system is None:
            return
        for ind in Indicator.objects.filter(system=self.table.system):
            self.by_code[normalize_name(ind.code)] = ind
            self.by_text.setdefault((ind.level, ind.name_key), ind)
            if ind.standard:
                self.by_text.setdefault((ind.level, normalize_name(ind.standard)), ind)

    def col(self, key: str) -> str:
        index = self.header.columns.get(key)
        return column_letter(index) if index is not None else ""

    def problem(
        self,
        row: int,
        key: str,
        message: str,
        value: str = "",
        suggestions: list[str] | None = None,
        code: str = "",
    ) -> None:
        self.table.errors.append(
            Problem(row, self.col(key), message, self.table.sheet, suggestions or [], value, code)
        )

    def warn(self, row: int, key: str, message: str, value: str = "") -> None:
        self.table.warnings.append(Problem(row, self.col(key), message, self.table.sheet, value=value))

    def read(self) -> None:
        header_texts = set(self.table_header_cells())
        last: dict[str, str] = {}
        self.filled: dict[str, list[int]] = {}
        for index in range(self.header.row_index + 1, len(self.rows)):
            row = self.rows[index]
            if is_blank(row):
                continue
            texts = {key: cell_text(row, self.header, key) for key in SYNONYMS}
            first_cells = [str(v or "").strip() for v in row[:4]]
            if any(_SUBTOTAL.match(v) for v in first_cells if v):
                continue  # 合计/小计 rows summarise the rows above
            if {v for v in texts.values() if v} <= header_texts:
                continue  # the header repeated (printed tables repeat it on every page)
            if not any(texts[k] for k in SYNONYMS if k != "number"):
                continue
            self.table.rows_read += 1
            self.fill_down(index + 1, texts, last)
            for key in FREE_TEXT:
                texts[key] = keep_text(cell(row, self.header, key))
            texts["level_text"] = keep_text(
                cell(row, self.header, "level3") or cell(row, self.header, "level2")
            )
            self.read_row(index + 1, row, texts)
        for key, rows in self.filled.items():
            self.warn(
                rows[0],
                key,
                _(
                    "The column “%(column)s” was blank in rows %(rows)s: read as the value above, as if the cells were merged."
                )
                % {"column": self.header.labels.get(key, key), "rows": _ranges(rows)},
            )

    def fill_down(self, number: int, texts: dict[str, str], last: dict[str, str]) -> None:
        """Carry a group's cells down to the blank rows below its first row (unmerged groups)."""
        if not (texts["level1"] or texts["level2"] or texts["level3"]):
            return
        continuing = not texts["level2"] and bool(last.get("level2"))
        for key in GROUP_COLUMNS:
            if key not in self.header.columns:
                continue
            if texts[key]:
                if key == "level1" and texts[key] != last.get("level1"):
                    last["level2"] = ""
                    continuing = False
                last[key] = texts[key]
            elif last.get(key) and (key in ("level1", "level2") or continuing):
                texts[key] = last[key]
                self.filled.setdefault(key, []).append(number)

    def table_header_cells(self) -> list[str]:
        header_row = self.rows[self.header.row_index]
        return [clean_cell(v) for v in header_row if v not in ("", None)]

    def read_row(self, number: int, row: list[Any], texts: dict[str, str]) -> None:
        indicator = self.indicator(number, texts)
        if indicator is None:
            return
        methods, unknown = parse_methods(texts["method"])
        for word in unknown:
            self.problem(number, "method", _("Unknown assessment method “%(m)s”.") % {"m": word}, word)
        units = self.unit_refs(number, texts)
        schedule = parse_schedule(cell(row, self.header, "deadline"), self.today)
        if schedule.unreadable:
            # Never an error that blocks the table: the text is kept and the office sets the date.
            self.warn(
                number,
                "deadline",
                _(
                    "The deadline “%(value)s” is not a date this import can read: it is kept as written, "
                    "and the task has no deadline until the office sets one."
                )
                % {"value": texts["deadline"]},
                texts["deadline"],
            )
        elif schedule.chosen and schedule.deadline:
            self.warn(
                number,
                "deadline",
                _("“%(value)s” has no year: read as %(date)s, the next such date from the import date.")
                % {"value": texts["deadline"], "date": schedule.deadline.isoformat()},
                texts["deadline"],
            )
        if not units:
            self.warn(number, "responsible", _("No responsible unit: the task will show as a gap."))
        level_text = texts["level_text"]
        title = texts["title"] or _first_sentence(_CODE.sub("", level_text))
        requirement = texts["requirement"] or (level_text if not texts["title"] else "")
        for method in methods or [""]:
            key_text = "|".join([indicator.code, normalize_name(title), method])
            self.keys[key_text] += 1
            key = hashlib.sha256(f"{key_text}#{self.keys[key_text]}".encode()).hexdigest()[:40]
            self.table.tasks.append(
                TaskRow(
                    row=number,
                    source_key=key,
                    indicator=indicator,
                    title=title[:300],
                    requirement=requirement,
                    method=method,
                    units=units,
                    leader_text=texts["leader"][:200],
                    people_text=texts["people"][:300],
                    people_names=parse_people(texts["people"]) + parse_people(texts["leader"]),
                    schedule=schedule,
                    arrangements=texts["arrangements"],
                    milestones=parse_arrangements(cell(row, self.header, "arrangements"), self.year),
                    material_requirement=texts["materials"],
                )
            )

    # -------------------------------------------------------------- indicators

    def indicator(self, number: int, texts: dict[str, str]) -> IndicatorRef | None:
        l1, l2, l3 = texts["level1"], texts["level2"], texts["level3"]
        if not (l1 or l2 or l3):
            self.problem(
                number,
                "level2" if "level2" in self.header.columns else "level3",
                _("The row names no indicator."),
            )
            return None
        ref1 = self.ref(1, l1, None) if l1 else None
        ref2 = self.ref(2, l2, ref1) if l2 else None
        if l3:
            return self.ref(3, l3, ref2)
        if ref2 is None:
            self.problem(
                number,
                "level2",
                _("The row names only a level 1 item; a task needs a level 2 or 3 indicator."),
            )
            return None
        return ref2

    def ref(self, level: int, text: str, parent: IndicatorRef | None) -> IndicatorRef:
        match = _CODE.match(text)
        if match and normalize_name(match.group(1)) in self.by_code:
            found = self.by_code[normalize_name(match.group(1))]
            return IndicatorRef(level, found.code, found.name, existing=found)
        name = _CODE.sub("", text) or text
        found = self.by_text.get((level, normalize_name(name)[:200])) or self.by_text.get(
            (level, normalize_name(name))
        )
        if found is not None and (
            parent is None or parent.existing is None or found.parent_id in (None, parent.existing.pk)
        ):
            return IndicatorRef(level, found.code, found.name, existing=found)
        code = match.group(1) if match else generated_code(level, name)
        if code in self.table.new_indicators:
            return self.table.new_indicators[code]
        ref = IndicatorRef(
            level, code, _first_sentence(name, 200), name if len(name) > 200 or level == 3 else "", parent
        )
        self.table.new_indicators[code] = ref
        return ref

    # -------------------------------------------------------------- units

    def unit_refs(self, number: int, texts: dict[str, str]) -> list[UnitRef]:
        refs: dict[int, UnitRef] = {}
        for key, column_role in UNIT_COLUMNS.items():
            for written in parse_unit_list(texts[key]):
                units = self.units.resolve(written.name)
                outside = None if units else self.units.outside(written.name)
                if outside is not None:
                    self.problem(
                        number,
                        key,
                        _(
                            "“%(name)s” is not within this campaign's territory (%(root)s). Move the unit "
                            "below %(root)s in the unit tree, or name a unit inside the territory."
                        )
                        % {"name": written.name, "root": self.units.root.name},
                        written.name,
                        code="outside_territory",
                    )
                    continue
                if not units:
                    self.problem(
                        number,
                        key,
                        _("Unknown unit “%(name)s”.") % {"name": written.name},
                        written.name,
                        self.units.suggestions(written.name),
                        code="unknown_unit",
                    )
                    continue
                role = written.role or column_role
                for unit in units:
                    current = refs.get(unit.pk)
                    # A unit named twice keeps its strongest role: lead > responsible > cooperating.
                    if current is None or _rank(role) < _rank(current.role):
                        refs[unit.pk] = UnitRef(unit, role, written.note)
        return list(refs.values())


def _ranges(rows: list[int]) -> str:
    """[5, 6, 7, 9] -> "5–7, 9"."""
    parts: list[str] = []
    start = prev = rows[0]
    for number in [*rows[1:], None]:
        if number is not None and number == prev + 1:
            prev = number
            continue
        parts.append(f"{start}–{prev}" if prev != start else str(start))
        if number is not None:
            start = prev = number
    return ", ".join(parts)


def _rank(role: str) -> int:
    return [AssignmentRole.LEAD, AssignmentRole.RESPONSIBLE, AssignmentRole.COOPERATING].index(role)


def _first_sentence(text: str, limit: int = TITLE_MAX) -> str:
    """A title from a long standard: its first clause, cut at a sensible length."""
    text = text.strip()
    for stop in ("。", "；", ";", "\n"):
        head = text.split(stop, 1)[0]
        if head and len(head) < len(text):
            text = head
    return text[:limit]


def method_label(key: str) -> str:
    """An assessment method's name for people ("field" → 实地考察); "" → 未注明."""
    if not key or key == "unspecified":
        return str(_("not given"))
    try:
        return str(Method(key).label)
    except ValueError:
        return key
