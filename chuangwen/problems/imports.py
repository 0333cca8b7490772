"""12345 hotline work orders from Excel: a dry run that checks every row, then a commit that
files them all in one transaction (or nothing). Orders are imported whole: an order the
hotline system has closed (状态 已办结, with its 办结时间 and reply) is closed here too, saying
where the closing came from. Orders already imported (same work-order number) are skipped,
unless the hotline has closed one that is still open here: then it is closed. So the
hotline's daily export can be imported again safely."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangwen.core.dates import DEADLINE_TIME, DEFAULT_TIME, DateTextError, parse_moment
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
from chuangwen.org.models import Unit
from chuangwen.problems import services
from chuangwen.problems.models import OPEN_STATUSES, Channel, Problem, ProblemCategory, Source

SYNONYMS = {
    "external_ref": ["工单编号", "工单号", "编号", "受理编号", "工单流水号"],
    "reported_at": ["来电时间", "受理时间", "登记时间", "派单时间", "创建时间"],
    "description": ["诉求内容", "问题描述", "来电内容", "反映内容", "内容", "诉求描述"],
    "address": ["地址", "事发地址", "问题地址", "发生地点", "事发地点"],
    "category": ["问题分类", "分类", "诉求类型", "类别", "问题类型"],
    "unit": ["承办单位", "责任单位", "办理单位", "主办单位"],
    "deadline": ["办结时限", "办理时限", "截止时间", "限办时间", "办理期限"],
    "caller": ["来电人", "姓名", "市民姓名", "诉求人"],
    "phone": ["联系电话", "来电号码", "电话", "联系方式"],
    "status": ["状态", "工单状态", "办理状态", "处理状态", "办理结果"],
    "closed_at": ["办结时间", "完成时间", "结案时间", "办结日期"],
    "reply": ["回复内容", "答复内容", "处理结果", "办理情况", "回复"],
}
# How hotline systems write an order's state. Closed: the citizen has been answered.
CLOSED_WORDS = {
    "已办结",
    "办结",
    "已完成",
    "完成",
    "已结案",
    "结案",
    "已回复",
    "已回访",
    "已关闭",
    "关闭",
    "已归档",
}
OPEN_WORDS = {
    "待办",
    "待处理",
    "待受理",
    "已受理",
    "办理中",
    "处理中",
    "在办",
    "已派单",
    "已转办",
    "未办结",
    "退回",
    "延期",
    "待回访",
}
REQUIRED = ["external_ref", "description"]


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        if not self.row:  # about the file, not a cell
            return self.message
        if not self.column:
            return _("Row %(row)d: %(msg)s") % {"row": self.row, "msg": self.message}
        return _("Row %(row)d, column %(col)s: %(msg)s") % {
            "row": self.row,
            "col": self.column,
            "msg": self.message,
        }


@dataclass
class ImportResult:
    rows: list[dict[str, Any]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    # Open problems the hotline system has closed since they were imported: problem id -> row.
    closing: dict[int, dict[str, Any]] = field(default_factory=dict)
    warnings: list[RowError] = field(default_factory=list)
    created: int = 0
    closed: int = 0
    committed: bool = False


def _categories() -> tuple[dict[str, ProblemCategory], dict[str, ProblemCategory]]:
    minors, majors = {}, {}
    for c in (
        ProblemCategory.objects.filter(is_active=True).select_related("parent").order_by("sort_order", "id")
    ):
        if c.parent_id:
            minors.setdefault(normalize_name(c.name), c)
            majors.setdefault(normalize_name(c.parent.name), c)  # the major's first minor
    return minors, majors


def check(source: Any, default_category: ProblemCategory | None = None) -> ImportResult:
    """Read and check every row; nothing is written."""
    result = ImportResult()
    try:
        sheets = read_workbook(source, max_bytes=settings.UPLOAD_MAX_BYTES)
    except SpreadsheetError as exc:
        result.errors.append(RowError(0, "", str(exc)))
        return result
    sheet = sheets[0]
    header = find_header(sheet.rows, SYNONYMS, REQUIRED)
    if header is None:
        result.errors.append(
            RowError(
                0,
                "",
                _(
                    "The file has no header row with the columns 工单编号 and 诉求内容 in its first 15 rows: "
                    "is it the hotline's work-order export?"
                ),
            )
        )
        return result
    minors, majors = _categories()
    seen: set[str] = set()
    existing = {
        ref: (pk, status in OPEN_STATUSES)
        for ref, pk, status in Problem.objects.filter(source=Source.HOTLINE_12345)
        .exclude(external_ref="")
        .values_list("external_ref", "pk", "status")
    }

    def err(index: int, key: str, message: str, warning: bool = False) -> None:
        col = header.columns.get(key)
        entry = RowError(index + 1, column_letter(col) if col is not None else "", message)
        (result.warnings if warning else result.errors).append(entry)

    def moment(index: int, key: str, default_time: dt.time = DEFAULT_TIME) -> dt.datetime | None:
        try:
            return parse_moment(cell(row, header, key), default_time)
        except DateTextError as exc:
            err(index, key, str(exc))
            return None

    for index in range(header.row_index + 1, len(sheet.rows)):
        row = sheet.rows[index]
        if is_blank(row):
            continue
        ref = cell_text(row, header, "external_ref")
        description = cell_text(row, header, "description")
        if not ref:
            err(index, "external_ref", _("The work order number is empty."))
            continue
        if ref in seen:
            err(index, "external_ref", _("Work order %(ref)s appears twice in the file.") % {"ref": ref})
            continue
        seen.add(ref)
        state = _state(cell_text(row, header, "status"))
        if state is None:
            err(
                index,
                "status",
                _("“%(value)s” is not a work-order state this import knows (e.g. 办理中, 已办结).")
                % {"value": cell_text(row, header, "status")},
            )
            continue
        closing = _closing(index, state, moment, err, cell_text(row, header, "reply"))
        if ref in existing:
            problem_id, is_open = existing[ref]
            if closing and is_open:
                result.closing[problem_id] = {"row": index + 1, "external_ref": ref, **closing}
            else:
                result.skipped.append(ref)
            continue
        if not description:
            err(index, "description", _("The request text is empty."))
        category_name = normalize_name(cell_text(row, header, "category"))
        category = minors.get(category_name) or majors.get(category_name) or default_category
        if category is None:
            err(
                index,
                "category",
                _("Unknown category “%(name)s”; choose a default category or fix the cell.")
                % {"name": cell_text(row, header, "category")},
            )
        unit = None
        unit_name = cell_text(row, header, "unit")
        if unit_name:
            unit = Unit.objects.find_by_name(unit_name)
            if unit is None:
                err(index, "unit", _("Unknown unit “%(name)s”.") % {"name": unit_name})
        deadline = moment(index, "deadline", DEADLINE_TIME)
        reported_at = moment(index, "reported_at")
        if reported_at and reported_at > timezone.now():
            err(
                index,
                "reported_at",
                _("The call time %(value)s is in the future.") % {"value": f"{reported_at:%Y-%m-%d %H:%M}"},
            )
        if deadline and reported_at and deadline < reported_at:
            err(index, "deadline", _("The deadline is earlier than the call time."))
        phone = cell_text(row, header, "phone")
        result.rows.append(
            {
                "row": index + 1,
                "external_ref": ref,
                "description": description,
                "category": category,
                "unit": unit,
                "deadline": deadline,
                "reported_at": reported_at,
                "address": cell_text(row, header, "address"),
                "reporter_name": cell_text(row, header, "caller"),
                "reporter_phone": normalize_phone(phone) or phone[:20],
                "closing": closing,
            }
        )
    return result


def _state(text: str) -> str | None:
    """ "open" or "closed" for a state cell (blank = open), None for a state nobody knows."""
    key = normalize_name(text)
    if not key:
        return "open"
    if key in CLOSED_WORDS:
        return "closed"
    if key in OPEN_WORDS:
        return "open"
    return None


def _closing(index: int, state: str, moment: Any, err: Any, reply: str) -> dict[str, Any] | None:
    """What closing an order the hotline has closed needs: its time and the reply given."""
    if state != "closed":
        return None
    closed_at = moment(index, "closed_at")
    if closed_at is None:
        err(
            index,
            "closed_at",
            _("Closed in the hotline system without a 办结时间: the import time is used."),
            True,
        )
    return {"closed_at": closed_at, "reply": reply[:200]}


def run(
    source: bytes | IO[bytes],
    actor: Any,
    commit: bool = False,
    default_category: ProblemCategory | None = None,
    request: Any = None,
) -> ImportResult:
    """Check, and with `commit` and no errors, file every row as a 12345 problem (all or nothing)."""
    result = check(source, default_category)
    if not commit or result.errors:
        return result
    with transaction.atomic():
        for problem_id, row in result.closing.items():
            services.close_from_hotline(
                problem_id, actor, closed_at=row["closed_at"], reply=row["reply"], request=request
            )
            result.closed += 1
        for row in result.rows:
            problem = services.report(
                actor,
                category=row["category"],
                description=row["description"],
                source=Source.HOTLINE_12345,
                channel=Channel.IMPORT,
                address=row["address"],
                reporter_name=row["reporter_name"],
                reporter_phone=row["reporter_phone"],
                external_ref=row["external_ref"],
                unit=row["unit"],
                deadline=row["deadline"],
                reported_at=row["reported_at"],
                request=request,
            )
            result.created += 1
            if row["closing"]:
                services.close_from_hotline(problem, actor, request=request, **row["closing"])
                result.closed += 1
    result.committed = True
    return result
