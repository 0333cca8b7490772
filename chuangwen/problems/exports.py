"""Exports offices keep: the 整改台账 (xlsx), the bulletin's problem list (.docx) and the 12345
status file sent back to the hotline (xlsx). The spreadsheets go through `core.xlsx.write_table`
(constant memory, row by row, user text as text), so a ledger of a hundred thousand problems
does not fill memory and a description cannot become a formula."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangwen.core.xlsx import write_table
from chuangwen.org.models import Unit
from chuangwen.problems import documents, routing
from chuangwen.problems.models import Problem, Source, Status
from chuangwen.problems.rates import STREET_KINDS

CHUNK = 2000
CN_NUMBERS = "一二三四五六七八九十"


def _local(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _rows(qs: QuerySet[Problem]) -> Iterator[Problem]:
    yield from (
        qs.select_related("category", "category__parent", "unit")
        .order_by("reported_at", "id")
        .iterator(chunk_size=CHUNK)
    )


def ledger(qs: QuerySet[Problem]):
    """整改台账: one row per problem with its whole loop."""
    now = timezone.now()
    headers = [
        _("No."),
        _("Number"),
        _("Source"),
        _("Major category"),
        _("Category"),
        _("Description"),
        _("Address"),
        _("Responsible unit"),
        _("Reported at"),
        _("Dispatched at"),
        _("Deadline"),
        _("Status"),
        _("Measures"),
        _("Closed at"),
        _("On time"),
        _("Overdue"),
        _("Rework count"),
        _("External number"),
    ]

    def rows() -> Iterator[list[Any]]:
        for number, p in enumerate(_rows(qs), start=1):
            yield [
                number,
                p.pk,
                p.get_source_display(),
                p.category.parent.name if p.category.parent_id else "",
                p.category.name,
                p.description,
                p.address,
                p.unit.name if p.unit_id else "",
                _local(p.reported_at),
                _local(p.dispatched_at),
                _local(p.deadline),
                p.get_status_display(),
                p.measures,
                _local(p.closed_at),
                "" if p.on_time is None else (_("yes") if p.on_time else _("no")),
                _("yes") if p.is_overdue(now) else "",
                p.rework_count,
                p.external_ref,
            ]

    return write_table(_("Rectification ledger"), headers, rows())


# The hotline system reads its status file by these column titles, whatever language our
# interface is in: they are a file format, not interface text.
HOTLINE_HEADERS = ["工单编号", "办理结果", "办结时间", "回复内容"]
HOTLINE_CLOSED, HOTLINE_OPEN, HOTLINE_RETURNED = "已办结", "办理中", "退回"


def hotline_row(p: Problem) -> list[Any]:
    """One work order as the hotline system takes it back: closed (verified, merged as a
    duplicate, or closed there), returned (not ours to handle), or still in hand."""
    if p.status in (Status.CLOSED, Status.DUPLICATE):
        result, reply = HOTLINE_CLOSED, p.measures or p.status_note or p.get_status_display()
    elif p.status == Status.NOT_APPLICABLE:
        result, reply = HOTLINE_RETURNED, p.status_note
    else:
        result = HOTLINE_OPEN
        due = f"{timezone.localtime(p.deadline):%Y-%m-%d %H:%M}" if p.deadline else ""
        reply = "，".join(
            x for x in (p.get_status_display(), p.unit.name if p.unit_id else "", due and f"期限 {due}") if x
        )
    closed_at = _local(p.closed_at) if result != HOTLINE_OPEN else None
    return [p.external_ref, result, closed_at, reply]


def hotline_status(qs: QuerySet[Problem]):
    """The status of 12345 work orders, to send back to the hotline system in its own layout."""

    def rows() -> Iterator[list[Any]]:
        for p in _rows(qs.filter(source=Source.HOTLINE_12345).exclude(external_ref="")):
            yield hotline_row(p)

    return write_table(_("12345 status"), HOTLINE_HEADERS, rows())


def _cn(number: int) -> str:
    return CN_NUMBERS[number - 1] if 1 <= number <= len(CN_NUMBERS) else str(number)


def problem_list(qs: QuerySet[Problem], title: str, subtitle: str = "") -> bytes:
    """The bulletin's appendix: 街道/乡镇 → point type → point → numbered problems."""
    problems = list(_rows(qs))
    unit_ids = {p.unit_id for p in problems if p.unit_id}
    units = {u.pk: u for u in Unit.objects.filter(pk__in=unit_ids)}
    ancestor_ids = {int(x) for u in units.values() for x in u.path.strip("/").split("/") if x}
    streets = {u.pk: u for u in Unit.objects.filter(pk__in=ancestor_ids, kind__in=STREET_KINDS)}
    no_point = _("No point")
    tree: dict[str, dict[str, dict[str, list[Problem]]]] = {}
    for p in problems:
        unit = units.get(p.unit_id)
        street_name = _("Not yet dispatched")
        if unit is not None:
            ids = [int(x) for x in unit.path.strip("/").split("/") if x]
            street = next((streets[i] for i in ids if i in streets), unit)
            street_name = street.name
        info = routing.point_info(p.point_ref)
        type_name = (info.type_name if info else "") or _("Other places")
        point_name = (info.name if info else "") or p.point_ref or p.address or no_point
        tree.setdefault(street_name, {}).setdefault(type_name, {}).setdefault(point_name, []).append(p)
    context_streets = []
    for s_index, (street_name, types) in enumerate(sorted(tree.items()), start=1):
        context_types = []
        count = 0
        for t_index, (type_name, points) in enumerate(sorted(types.items()), start=1):
            context_points = []
            for point_name, items in sorted(points.items()):
                count += len(items)
                context_points.append(
                    {
                        "name": point_name,
                        "problems": [
                            {
                                "number": n,
                                "description": p.description,
                                "category": p.category.name,
                                "unit": p.unit.name if p.unit_id else _("not yet dispatched"),
                                "deadline": _local(p.deadline) or "—",
                                "status": p.get_status_display(),
                            }
                            for n, p in enumerate(items, start=1)
                        ],
                    }
                )
            context_types.append({"number": _cn(t_index), "name": type_name, "points": context_points})
        context_streets.append(
            {"number": _cn(s_index), "name": street_name, "count": count, "types": context_types}
        )
    return documents.render(
        documents.PROBLEM_LIST, {"title": title, "subtitle": subtitle, "streets": context_streets}
    )
