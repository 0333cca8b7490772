"""Rectification rates, as bulletins rank units.

Definitions (over problems reported in the period, duplicates and not-applicable excluded):
- due: the deadline has passed (by `as_of`), or the problem is already closed;
- rectification rate = closed after verification (销号) / due;
- on-time rate = closed with the rectification submitted by the deadline / due;
- rework = failed verifications (sum of rework counts), and problems reworked at least once.

Rates count problems by their *responsible* unit within the user's scope (a unit's rate is
about what it answers for, not what it reported or verifies).

By unit or street over whole months, closed problems come from ProblemTally (written when a
problem closes) and only the open ones are counted live, from an index that holds exactly the
columns needed; other breakdowns and odd periods count every row (correct, slower).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Func, IntegerField, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chuangwen.accounts.scope import scope_for
from chuangwen.org.models import Unit, UnitKind
from chuangwen.problems.models import OPEN_STATUSES, Problem, ProblemCategory, ProblemTally, Source, Status

GROUPINGS = {
    "unit": gettext_lazy("Responsible unit"),
    "street": gettext_lazy("Street / township"),
    "category": gettext_lazy("Category"),
    "major": gettext_lazy("Major category"),
    "source": gettext_lazy("Source"),
    "month": gettext_lazy("Month reported"),
}
_FIELD = {
    "unit": "unit_id",
    "street": "unit_id",
    "category": "category_id",
    "major": "category__parent_id",
    "source": "source",
    "month": "month",
}
STREET_KINDS = (UnitKind.STREET, UnitKind.TOWNSHIP)


class UnaryPlus(Func):
    """(+expr): the same value, but no longer a plain column the planner can match to an index."""

    template = "(+%(expressions)s)"
    output_field = IntegerField()


@dataclass
class RateRow:
    key: Any
    label: str
    total: int = 0
    due: int = 0
    closed: int = 0
    on_time: int = 0
    rework: int = 0
    reworked: int = 0

    @property
    def rectification_rate(self) -> float | None:
        return round(100 * self.closed / self.due, 1) if self.due else None

    @property
    def on_time_rate(self) -> float | None:
        return round(100 * self.on_time / self.due, 1) if self.due else None

    def add(self, other: RateRow) -> None:
        for name in ("total", "due", "closed", "on_time", "rework", "reworked"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def counted(
    qs: QuerySet[Problem], start: dt.date | None = None, end: dt.date | None = None
) -> QuerySet[Problem]:
    qs = qs.exclude(status__in=(Status.DUPLICATE, Status.NOT_APPLICABLE))
    tz = timezone.get_current_timezone()
    if start:
        qs = qs.filter(reported_at__gte=dt.datetime.combine(start, dt.time.min, tzinfo=tz))
    if end:
        qs = qs.filter(
            reported_at__lt=dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        )
    return qs


def _unit_filter(user: Any, field: str = "unit") -> Q:
    scope = scope_for(user)
    return Q() if scope.everything else Q(**{f"{field}__in": scope.units().values("pk")})


def _whole_months(start: dt.date | None, end: dt.date | None) -> bool:
    ends_month = end is None or (end + dt.timedelta(days=1)).day == 1
    return (start is None or start.day == 1) and ends_month


def rates(
    user: Any,
    by: str = "unit",
    start: dt.date | None = None,
    end: dt.date | None = None,
    as_of: dt.datetime | None = None,
) -> tuple[list[RateRow], RateRow]:
    """Rows per group (lowest rectification rate first) and the total row."""
    if by not in _FIELD:
        raise ValueError(f"unknown grouping {by!r}")
    as_of = as_of or timezone.now()
    if by in ("unit", "street") and _whole_months(start, end):
        rows = _tallied(user, start, end, as_of)
    else:
        rows = _counted_live(user, by, start, end, as_of)
    if by == "street":
        rows = _roll_up_to_streets(rows)
    _label(rows, by)
    total = RateRow(None, _("Total"))
    for row in rows:
        total.add(row)
    rows.sort(key=lambda r: (r.rectification_rate is None, r.rectification_rate or 0, str(r.label)))
    return rows, total


def _counted_live(
    user: Any, by: str, start: dt.date | None, end: dt.date | None, as_of: dt.datetime
) -> list[RateRow]:
    qs = counted(Problem.objects.filter(_unit_filter(user)), start, end).order_by()
    if by == "month":
        qs = qs.annotate(month=TruncMonth("reported_at"))
    closed = Q(status=Status.CLOSED)
    raw = qs.values(_FIELD[by]).annotate(
        total=Count("id"),
        due=Count("id", filter=Q(deadline__lte=as_of) | closed),
        closed=Count("id", filter=closed),
        on_time=Count("id", filter=closed & Q(on_time=True)),
        rework=Sum("rework_count"),
        reworked=Count("id", filter=Q(rework_count__gt=0)),
    )
    return [
        RateRow(
            r[_FIELD[by]],
            "",
            r["total"],
            r["due"],
            r["closed"],
            r["on_time"],
            r["rework"] or 0,
            r["reworked"],
        )
        for r in raw
    ]


def _tallied(user: Any, start: dt.date | None, end: dt.date | None, as_of: dt.datetime) -> list[RateRow]:
    rows: dict[Any, RateRow] = {}
    final = ProblemTally.objects.filter(_unit_filter(user))
    if start:
        final = final.filter(month__gte=start.replace(day=1))
    if end:
        final = final.filter(month__lte=end.replace(day=1))
    for r in (
        final.order_by()
        .values("unit_id")
        .annotate(
            closed=Sum("closed"), on_time=Sum("on_time"), rework=Sum("rework"), reworked=Sum("reworked")
        )
    ):
        rows[r["unit_id"]] = RateRow(
            r["unit_id"], "", r["closed"], r["closed"], r["closed"], r["on_time"], r["rework"], r["reworked"]
        )
    live = counted(
        Problem.objects.filter(_unit_filter(user), status__in=OPEN_STATUSES), start, end
    ).order_by()
    # Grouping by (+unit_id) rather than unit_id keeps SQLite from walking the inbox index in
    # unit order (every row, with table lookups); it then reads the open rows from the covering
    # problem_open_rates_idx — about seven times faster on a million problems.
    live = live.annotate(group_unit=UnaryPlus(F("unit_id")))
    for r in live.values("group_unit").annotate(
        total=Count("id"),
        due=Count("id", filter=Q(deadline__lte=as_of)),
        rework=Sum("rework_count"),
        reworked=Count("id", filter=Q(rework_count__gt=0)),
    ):
        unit_id = r["group_unit"]
        row = rows.setdefault(unit_id, RateRow(unit_id, ""))
        row.add(RateRow(unit_id, "", r["total"], r["due"], 0, 0, r["rework"] or 0, r["reworked"]))
    return list(rows.values())


def _roll_up_to_streets(rows: list[RateRow]) -> list[RateRow]:
    """Units summed into the street or township above them (or kept when above any street)."""
    units = {u.pk: u for u in Unit.objects.filter(pk__in=[r.key for r in rows if r.key])}
    ancestor_ids = {int(p) for u in units.values() for p in u.path.strip("/").split("/") if p}
    streets = {u.pk: u for u in Unit.objects.filter(pk__in=ancestor_ids, kind__in=STREET_KINDS)}
    merged: dict[Any, RateRow] = {}
    for row in rows:
        unit = units.get(row.key)
        key = row.key
        if unit is not None:
            path_ids = [int(p) for p in unit.path.strip("/").split("/") if p]
            key = next((pk for pk in path_ids if pk in streets), row.key)
        target = merged.setdefault(key, RateRow(key, ""))
        target.add(row)
    return list(merged.values())


def _label(rows: list[RateRow], by: str) -> None:
    if by in ("unit", "street"):
        names = dict(Unit.objects.filter(pk__in=[r.key for r in rows if r.key]).values_list("pk", "name"))
        for row in rows:
            row.label = names.get(row.key, _("Dispatch queue (no unit)"))
    elif by in ("category", "major"):
        names = {c.pk: c.name for c in ProblemCategory.objects.filter(pk__in=[r.key for r in rows if r.key])}
        for row in rows:
            row.label = names.get(row.key, "—")
    elif by == "source":
        for row in rows:
            row.label = str(Source(row.key).label) if row.key in Source.values else str(row.key)
    else:
        for row in rows:
            row.label = (
                timezone.localtime(row.key).strftime("%Y-%m")
                if isinstance(row.key, dt.datetime)
                else str(row.key)
            )
