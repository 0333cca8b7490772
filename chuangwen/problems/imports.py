"""12345 hotline work orders from Excel: a dry run that checks every row, then a commit that
files them all in one transaction (or nothing). Orders already imported (same work-order
number) are skipped, so the hotline's daily export can be imported again safely."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

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
from chuangwen.problems.models import Channel, Problem, ProblemCategory, Source

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
}
REQUIRED = ["external_ref", "description"]
_DATE = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s*(\d{1,2})[:时](\d{1,2})分?)?"
)


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
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
    created: int = 0
    committed: bool = False


def parse_datetime(value: Any) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    if isinstance(value, dt.date):
        return timezone.make_aware(dt.datetime.combine(value, dt.time(18, 0)))
    match = _DATE.search(str(value or ""))
    if not match:
        return None
    year, month, day, hour, minute = (int(g) if g else None for g in match.groups())
    try:
        moment = dt.datetime(year, month, day, hour if hour is not None else 18, minute or 0)
    except ValueError:
        return None
    return timezone.make_aware(moment)


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
        result.errors.append(RowError(1, "", _("No header row with 工单编号 and 诉求内容 was found.")))
        return result
    minors, majors = _categories()
    seen: set[str] = set()
    existing = set(
        Problem.objects.filter(source=Source.HOTLINE_12345)
        .exclude(external_ref="")
        .values_list("external_ref", flat=True)
    )

    def err(index: int, key: str, message: str) -> None:
        col = header.columns.get(key)
        result.errors.append(RowError(index + 1, column_letter(col) if col is not None else "", message))

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
        if ref in existing:
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
        deadline = None
        raw_deadline = cell(row, header, "deadline")
        if raw_deadline not in ("", None):
            deadline = parse_datetime(raw_deadline)
            if deadline is None:
                err(index, "deadline", _("“%(value)s” is not a date.") % {"value": raw_deadline})
        reported_at = parse_datetime(cell(row, header, "reported_at"))
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
            }
        )
    return result


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
        for row in result.rows:
            services.report(
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
    result.committed = True
    return result
