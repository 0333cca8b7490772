"""Problem figures per slice: totals, rectification-rate trend (monthly and weekly), overdue
problems by responsible unit.

Definitions are those of problems.rates (over problems reported in the period, duplicates and
not-applicable left out): rectification rate = closed after verification / due, where due means
the deadline has passed or the problem is already closed. The monthly trend adds the closed
counts kept in ProblemTally to a live count of the open problems only; the weekly trend counts
the last weeks' rows (a range on the reported_at index), never the whole table.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth, TruncWeek
from django.utils import timezone

from chuangwen.dashboard.territory import Territory
from chuangwen.problems.models import OPEN_STATUSES, RUNNING_STATUSES, Problem, ProblemTally, Status
from chuangwen.problems.rates import counted

MONTHS = 12
WEEKS = 12
OVERDUE_TOP = 15


def _local_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def _rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def month_keys(today: dt.date, count: int = MONTHS) -> list[dt.date]:
    first = today.replace(day=1)
    keys = []
    for _ in range(count):
        keys.append(first)
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return keys[::-1]


def week_keys(today: dt.date, count: int = WEEKS) -> list[dt.date]:
    monday = today - dt.timedelta(days=today.weekday())
    return [monday - dt.timedelta(weeks=n) for n in range(count - 1, -1, -1)]


class _Cell:
    __slots__ = ("closed", "due", "on_time", "open", "overdue", "total")

    def __init__(self) -> None:
        self.total = self.due = self.closed = self.on_time = self.open = self.overdue = 0


def collect(territory: Territory, now: dt.datetime) -> dict[int | None, dict[str, Any]]:
    """{slice key: problem figures} for every slice of the territory."""
    today = timezone.localtime(now).date()
    months = month_keys(today)
    weeks = week_keys(today)
    totals: dict[Any, _Cell] = defaultdict(_Cell)  # slice -> all-time figures
    monthly: dict[tuple[Any, dt.date], _Cell] = defaultdict(_Cell)  # (slice, month)
    weekly: dict[tuple[Any, dt.date], _Cell] = defaultdict(_Cell)
    overdue_by_unit: dict[int | None, int] = defaultdict(int)

    # Closed problems: the tally kept when each one closed (unit × month reported).
    for unit_id, month, closed, on_time in ProblemTally.objects.values_list(
        "unit_id", "month", "closed", "on_time"
    ).iterator(chunk_size=5000):
        for key in territory.slices_of(unit_id):
            for cell in (totals[key], monthly[(key, month)]):
                cell.total += closed
                cell.due += closed
                cell.closed += closed
                cell.on_time += on_time

    # Open problems, live: few compared with the closed ones.
    running = Q(status__in=RUNNING_STATUSES, deadline__lt=now)
    live = (
        Problem.objects.filter(status__in=OPEN_STATUSES)
        .annotate(month=TruncMonth("reported_at"))
        .values("unit_id", "month")
        .annotate(
            total=Count("id"),
            due=Count("id", filter=Q(deadline__lte=now)),
            overdue=Count("id", filter=running),
        )
        .order_by()
    )
    for row in live:
        month = _local_date(row["month"])
        for key in territory.slices_of(row["unit_id"]):
            for cell in (totals[key], monthly[(key, month)]):
                cell.total += row["total"]
                cell.due += row["due"]
                cell.open += row["total"]
                cell.overdue += row["overdue"]
        if territory.slices_of(row["unit_id"]):
            overdue_by_unit[row["unit_id"]] += row["overdue"]

    # The last weeks, every status, counted from the rows reported in them.
    start = dt.datetime.combine(weeks[0], dt.time.min, tzinfo=timezone.get_current_timezone())
    closed = Q(status=Status.CLOSED)
    recent = (
        counted(Problem.objects.filter(reported_at__gte=start))
        .annotate(week=TruncWeek("reported_at"))
        .values("unit_id", "week")
        .annotate(
            total=Count("id"),
            due=Count("id", filter=Q(deadline__lte=now) | closed),
            closed=Count("id", filter=closed),
            on_time=Count("id", filter=closed & Q(on_time=True)),
        )
        .order_by()
    )
    for row in recent:
        week = _local_date(row["week"])
        for key in territory.slices_of(row["unit_id"]):
            cell = weekly[(key, week)]
            cell.total += row["total"]
            cell.due += row["due"]
            cell.closed += row["closed"]
            cell.on_time += row["on_time"]

    result = {}
    for key in territory.slice_keys():
        cell = totals[key]
        result[key] = {
            "total": cell.total,
            "open": cell.open,
            "due": cell.due,
            "closed": cell.closed,
            "overdue": cell.overdue,
            "rectification_rate": _rate(cell.closed, cell.due),
            "on_time_rate": _rate(cell.on_time, cell.due),
            "monthly": [_point(f"{m:%Y-%m}", monthly.get((key, m))) for m in months],
            "weekly": [_point(f"{w:%m-%d}", weekly.get((key, w))) for w in weeks],
            "overdue_by_unit": _overdue(territory, key, overdue_by_unit),
        }
    return result


def _point(period: str, cell: _Cell | None) -> dict[str, Any]:
    if cell is None:
        return {"period": period, "total": 0, "due": 0, "closed": 0, "rate": None}
    return {
        "period": period,
        "total": cell.total,
        "due": cell.due,
        "closed": cell.closed,
        "rate": _rate(cell.closed, cell.due),
    }


def _overdue(territory: Territory, key: int | None, counts: dict[int | None, int]) -> list[dict[str, Any]]:
    rows = [
        {"unit_id": unit_id, "unit": territory.name(unit_id), "overdue": n}
        for unit_id, n in counts.items()
        if n and key in territory.slices_of(unit_id)
    ]
    rows.sort(key=lambda r: (-r["overdue"], r["unit"]))
    return rows[:OVERDUE_TOP]
