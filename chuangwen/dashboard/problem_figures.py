"""Problem figures per slice: totals, rectification-rate trend (monthly and weekly), overdue
problems by responsible unit.

Every figure is counted by problems.rates (`grouped`, `Counts`: the one definition of found,
due, closed, on time and overdue, duplicates and not-applicable left out), and the rate divides
by what the campaign chose (closed ÷ due by default, or closed ÷ found), named beside it. The
monthly trend adds the closed counts kept in ProblemTally to a live count of the open problems
only; the weekly trend counts the last weeks' rows (a range on the reported_at index), never the
whole table.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models.functions import TruncMonth, TruncWeek
from django.utils import timezone

from chuangwen.campaigns.models import RateBasis
from chuangwen.dashboard.territory import Territory
from chuangwen.problems.models import OPEN_STATUSES, Problem, ProblemTally
from chuangwen.problems.rates import Counts, basis_label, counted, grouped

MONTHS = 12
WEEKS = 12
OVERDUE_TOP = 15


def _local_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


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


@dataclass
class _Cell(Counts):
    """A slice's counts plus the open problems among them."""

    open: int = 0


def collect(
    territory: Territory, now: dt.datetime, basis: str = RateBasis.DUE
) -> dict[int | None, dict[str, Any]]:
    """{slice key: problem figures} for every slice of the territory."""
    today = timezone.localtime(now).date()
    months = month_keys(today)
    weeks = week_keys(today)
    cell = lambda: _Cell(basis=basis)  # noqa: E731
    totals: dict[Any, _Cell] = defaultdict(cell)  # slice -> all-time figures
    monthly: dict[tuple[Any, dt.date], _Cell] = defaultdict(cell)  # (slice, month)
    weekly: dict[tuple[Any, dt.date], _Cell] = defaultdict(cell)
    overdue_by_unit: dict[int | None, int] = defaultdict(int)

    # Closed problems: the tally kept when each one closed (unit × month reported).
    for unit_id, month, closed, on_time in ProblemTally.objects.values_list(
        "unit_id", "month", "closed", "on_time"
    ).iterator(chunk_size=5000):
        counts = Counts.from_tally(closed, on_time)
        for key in territory.slices_of(unit_id):
            totals[key].add(counts)
            monthly[(key, month)].add(counts)

    # Open problems, live: few compared with the closed ones.
    live = Problem.objects.filter(status__in=OPEN_STATUSES).annotate(month=TruncMonth("reported_at"))
    for row in grouped(live, ["unit_id", "month"], now):
        month = _local_date(row["month"])
        counts = Counts.of(row)
        for key in territory.slices_of(row["unit_id"]):
            for target in (totals[key], monthly[(key, month)]):
                target.add(counts)
                target.open += counts.total
        if territory.slices_of(row["unit_id"]):
            overdue_by_unit[row["unit_id"]] += counts.overdue

    # The last weeks, every status, counted from the rows reported in them.
    start = dt.datetime.combine(weeks[0], dt.time.min, tzinfo=timezone.get_current_timezone())
    recent = counted(Problem.objects.filter(reported_at__gte=start)).annotate(week=TruncWeek("reported_at"))
    for row in grouped(recent, ["unit_id", "week"], now):
        week = _local_date(row["week"])
        counts = Counts.of(row)
        for key in territory.slices_of(row["unit_id"]):
            weekly[(key, week)].add(counts)

    result = {}
    for key in territory.slice_keys():
        total = totals[key]
        result[key] = {
            "total": total.total,
            "open": total.open,
            "due": total.due,
            "closed": total.closed,
            "overdue": total.overdue,
            "basis": str(basis),
            "basis_label": basis_label(basis),
            "denominator": total.denominator,
            "rectification_rate": total.rectification_rate,
            "rate_text": total.describe,
            "on_time_rate": total.on_time_rate,
            "on_time_text": total.describe_on_time,
            "monthly": [_point(f"{m:%Y-%m}", monthly.get((key, m)), basis) for m in months],
            "weekly": [_point(f"{w:%m-%d}", weekly.get((key, w)), basis) for w in weeks],
            "overdue_by_unit": _overdue(territory, key, overdue_by_unit),
        }
    return result


def _point(period: str, cell: _Cell | None, basis: str) -> dict[str, Any]:
    cell = cell or _Cell(basis=basis)
    return {
        "period": period,
        "total": cell.total,
        "due": cell.due,
        "closed": cell.closed,
        "denominator": cell.denominator,
        "rate": cell.rectification_rate,
    }


def _overdue(territory: Territory, key: int | None, counts: dict[int | None, int]) -> list[dict[str, Any]]:
    rows = [
        {"unit_id": unit_id, "unit": territory.name(unit_id), "overdue": n}
        for unit_id, n in counts.items()
        if n and key in territory.slices_of(unit_id)
    ]
    rows.sort(key=lambda r: (-r["overdue"], r["unit"]))
    return rows[:OVERDUE_TOP]
