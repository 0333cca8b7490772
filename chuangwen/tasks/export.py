"""Exports: the task table in the import's own columns (so it can be edited and re-imported),
and the progress ledger (台账). Written with `core.xlsx` (constant memory, row by row, text as text)."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from chuangwen.core.xlsx import workbook
from chuangwen.indicators.models import IndicatorLevel
from chuangwen.tasks.importing import EXPORT_COLUMNS, METHOD_WORDS
from chuangwen.tasks.models import AssignmentRole, ProgressReport, Task, TaskAssignment
from chuangwen.tasks.periods import month_end

CHUNK = 2000


_INDICATOR_FIELDS = (
    "indicator__level",
    "indicator__code",
    "indicator__name",
    "indicator__standard",
    "indicator__parent__level",
    "indicator__parent__name",
    "indicator__parent__parent__level",
    "indicator__parent__parent__name",
)
_TASK_FIELDS = (
    "id",
    "method",
    "title",
    "requirement",
    "leader_text",
    "people_text",
    "deadline_text",
    "deadline",
    "arrangements",
    "material_requirement",
)


def _level_cells(row: dict[str, Any]) -> tuple[str, str, str]:
    """(level 1, level 2, level 3) cells for a task's indicator, as the import reads them."""
    cells = {1: "", 2: "", 3: ""}
    for prefix in ("indicator__parent__parent__", "indicator__parent__", "indicator__"):
        level = row[f"{prefix}level"]
        if level:
            cells[level] = row[f"{prefix}name"]
    if row["indicator__level"] == IndicatorLevel.III:
        written = row["indicator__standard"] or row["indicator__name"]
        code = row["indicator__code"]
        # A real code (Ⅲ-16) travels with the text so a re-import finds the item exactly.
        cells[3] = written if code.startswith("L3-") else f"{code} {written}"
    return cells[1], cells[2], cells[3]


def _units(assignments: Iterable[tuple[str, str, str]], role: str) -> str:
    return "、".join(f"{name}（{note}）" if note else name for r, name, note in assignments if r == role)


def task_rows(tasks: QuerySet[Task]) -> Iterable[list[Any]]:
    """One list of cells per task, in EXPORT_COLUMNS order. Reads plain values in chunks
    (no model instances): 20,000 tasks are two queries per 2,000."""
    rows = tasks.order_by("source_row", "id").values(*_TASK_FIELDS, *_INDICATOR_FIELDS)
    number = 0
    chunk: list[dict[str, Any]] = []
    for row in rows.iterator(chunk_size=CHUNK):
        chunk.append(row)
        if len(chunk) == CHUNK:
            yield from _chunk_rows(chunk, number)
            number += len(chunk)
            chunk = []
    if chunk:
        yield from _chunk_rows(chunk, number)


def _chunk_rows(chunk: list[dict[str, Any]], number: int) -> Iterable[list[Any]]:
    assignments: dict[int, list[tuple[str, str, str]]] = {}
    for task_id, role, name, note in (
        TaskAssignment.objects.filter(task_id__in=[r["id"] for r in chunk])
        .order_by("role", "id")
        .values_list("task_id", "role", "unit__name", "note")
    ):
        assignments.setdefault(task_id, []).append((role, name, note))
    for offset, row in enumerate(chunk, start=1):
        l1, l2, l3 = _level_cells(row)
        units = assignments.get(row["id"], [])
        values = {
            "number": number + offset,
            "level1": l1,
            "level2": l2,
            "level3": l3,
            "method": METHOD_WORDS.get(row["method"], ""),
            "title": row["title"],
            "requirement": row["requirement"],
            "lead": _units(units, AssignmentRole.LEAD),
            "responsible": _units(units, AssignmentRole.RESPONSIBLE),
            "cooperating": _units(units, AssignmentRole.COOPERATING),
            "leader": row["leader_text"],
            "people": row["people_text"],
            "deadline": row["deadline_text"] or (row["deadline"].isoformat() if row["deadline"] else ""),
            "arrangements": row["arrangements"],
            "materials": row["material_requirement"],
        }
        yield [values[key] for key, _label in EXPORT_COLUMNS]


def write_task_table(tasks: QuerySet[Task], title: str) -> bytes:
    """The task table as .xlsx bytes: a title row, then the header, then one row per task."""
    output = io.BytesIO()
    book = workbook(output)
    sheet = book.add_worksheet("任务分解表")
    bold = book.add_format({"bold": True, "text_wrap": True, "valign": "top", "border": 1})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    sheet.write(0, 0, title, book.add_format({"bold": True, "font_size": 14}))
    for col, (_key, label) in enumerate(EXPORT_COLUMNS):
        sheet.write(1, col, label, bold)
    sheet.set_column(0, 0, 6)
    sheet.set_column(1, len(EXPORT_COLUMNS) - 1, 22, wrap)
    sheet.freeze_panes(2, 0)
    for row, values in enumerate(task_rows(tasks), start=2):
        sheet.write_row(row, 0, values)
    book.close()
    return output.getvalue()


LEDGER_COLUMNS = [
    "序号",
    "任务",
    "测评指标",
    "单位",
    "月份",
    "进展情况",
    "附件数",
    "提交人",
    "提交时间",
    "是否逾期",
]


def write_ledger(reports: QuerySet[ProgressReport], title: str) -> bytes:
    """The progress ledger (台账): every report with its unit, month, files and lateness."""
    output = io.BytesIO()
    book = workbook(output)
    sheet = book.add_worksheet("进展台账")
    bold = book.add_format({"bold": True, "border": 1})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    sheet.write(0, 0, title, book.add_format({"bold": True, "font_size": 14}))
    sheet.write_row(1, 0, LEDGER_COLUMNS, bold)
    sheet.set_column(1, 2, 30, wrap)
    sheet.set_column(5, 5, 50, wrap)
    qs = (
        reports.select_related("task__indicator", "unit", "submitted_by")
        .prefetch_related("attachments")
        .order_by("task__source_row", "task_id", "unit__path", "month")
    )
    for number, report in enumerate(qs.iterator(chunk_size=CHUNK), start=1):
        submitted = timezone.localtime(report.submitted_at)
        late = submitted.date() > month_end(report.month)
        sheet.write_row(
            number + 1,
            0,
            [
                number,
                report.task.title,
                str(report.task.indicator),
                report.unit.name,
                f"{report.month:%Y-%m}",
                report.text,
                len(report.attachments.all()),
                str(report.submitted_by or ""),
                f"{submitted:%Y-%m-%d %H:%M}",
                "是" if late else "否",
            ],
        )
    book.close()
    return output.getvalue()
