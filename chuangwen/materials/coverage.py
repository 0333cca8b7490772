"""Coverage: for each requirement × unit (× period), is the material there?

A period is *satisfied* when some current version filed for it is approved, *in review* when
one awaits a review, *sent back* when the only ones were sent back, else *missing*. The
database does the counting: one grouped query gives, per requirement and unit, how many
periods are in each state (the best state of each period first, then a count per state).
The services run it for the one requirement × unit they changed and keep the result in
CoverageCell, so the board for 500 units × 100 requirements reads 50,000 small rows instead of
aggregating a quarter of a million submissions on every view; `rebuild_cells` recomputes
them all from the submissions (the same query without the filter).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Case, IntegerField, Max, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangwen.materials.models import (
    IN_REVIEW,
    CoverageCell,
    MaterialRequirement,
    Submission,
    SubmissionStatus,
)
from chuangwen.materials.periods import Period, due_periods
from chuangwen.tasks.models import TaskAssignment

SATISFIED, IN_REVIEW_STATE, SENT_BACK, MISSING, UPCOMING = (
    "satisfied",
    "in_review",
    "sent_back",
    "missing",
    "upcoming",
)
STATE_LABELS = {
    SATISFIED: _("Satisfied"),
    IN_REVIEW_STATE: _("In review"),
    SENT_BACK: _("Sent back"),
    MISSING: _("Missing"),
    UPCOMING: _("Not due yet"),
}
STATE_COLOURS = {
    SATISFIED: "success",
    IN_REVIEW_STATE: "info",
    SENT_BACK: "warning",
    MISSING: "danger",
    UPCOMING: "secondary",
}
_RANK = {3: SATISFIED, 2: IN_REVIEW_STATE, 1: SENT_BACK}


def _rank_case() -> Case:
    return Case(
        When(status=SubmissionStatus.APPROVED, then=Value(3)),
        When(status__in=IN_REVIEW, then=Value(2)),
        When(status=SubmissionStatus.SENT_BACK, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )


@dataclass
class Cell:
    """One requirement × unit: periods due and how many are in each state."""

    due: int
    satisfied: int = 0
    in_review: int = 0
    sent_back: int = 0

    @property
    def state(self) -> str:
        return state_of(self.due, self.satisfied, self.in_review, self.sent_back)

    @property
    def label(self) -> str:
        return str(STATE_LABELS[self.state])

    @property
    def colour(self) -> str:
        return STATE_COLOURS[self.state]


def _id_list(values: Iterable[int]) -> str:
    ids = [int(v) for v in values]
    return ",".join(str(i) for i in ids) if ids else "NULL"


def period_counts(
    requirement_ids: list[int], unit_ids: list[int] | None
) -> dict[tuple[int, int], tuple[int, int, int]]:
    """{(requirement, unit): (satisfied, in review, sent back) periods} from one grouped query.

    Written in SQL because it aggregates an aggregate (the best state of each period, then a
    count per state), which the ORM cannot express; ids are integers joined in, not quoted text.
    """
    if not requirement_ids or unit_ids == []:
        return {}
    units = f"AND unit_id IN ({_id_list(unit_ids)})" if unit_ids is not None else ""
    table = Submission._meta.db_table
    in_review = ", ".join(f"'{s}'" for s in IN_REVIEW)
    sql = f"""
        SELECT requirement_id, unit_id,
               SUM(CASE WHEN best = 3 THEN 1 ELSE 0 END),
               SUM(CASE WHEN best = 2 THEN 1 ELSE 0 END),
               SUM(CASE WHEN best = 1 THEN 1 ELSE 0 END)
        FROM (
            SELECT requirement_id, unit_id, period,
                   MAX(CASE WHEN status = 'approved' THEN 3
                            WHEN status IN ({in_review}) THEN 2
                            WHEN status = 'sent_back' THEN 1 ELSE 0 END) AS best
            FROM {table}
            WHERE is_current = %s AND requirement_id IN ({_id_list(requirement_ids)}) {units}
            GROUP BY requirement_id, unit_id, period
        ) per_period
        GROUP BY requirement_id, unit_id
    """  # noqa: S608 - every interpolated value is an integer id or a constant of this module
    with connection.cursor() as cursor:
        cursor.execute(sql, [True])
        return {(r, u): (int(s or 0), int(i or 0), int(b or 0)) for r, u, s, i, b in cursor.fetchall()}


def refresh_cell(requirement_id: int, unit_id: int) -> None:
    """Recount one requirement × unit into its CoverageCell (inside the caller's transaction)."""
    satisfied, in_review, sent_back = period_counts([requirement_id], [unit_id]).get(
        (requirement_id, unit_id), (0, 0, 0)
    )
    CoverageCell.objects.update_or_create(
        requirement_id=requirement_id,
        unit_id=unit_id,
        defaults={"satisfied": satisfied, "in_review": in_review, "sent_back": sent_back},
    )


def rebuild_cells(requirement_ids: list[int]) -> int:
    """Recompute every cell of the requirements from the submissions; returns the cells written."""
    counts = period_counts(requirement_ids, None)
    CoverageCell.objects.filter(requirement_id__in=requirement_ids).delete()
    CoverageCell.objects.bulk_create(
        (
            CoverageCell(requirement_id=r, unit_id=u, satisfied=s, in_review=i, sent_back=b)
            for (r, u), (s, i, b) in counts.items()
        ),
        batch_size=5000,
    )
    return len(counts)


def cell_counts(
    requirement_ids: list[int], unit_ids: list[int] | None
) -> dict[tuple[int, int], tuple[int, int, int]]:
    """The kept counts, as period_counts computes them (a plain cursor: 50,000 tuples through
    the ORM's row machinery would cost more than the query)."""
    if not requirement_ids or unit_ids == []:
        return {}
    units = f"AND unit_id IN ({_id_list(unit_ids)})" if unit_ids is not None else ""
    sql = f"""
        SELECT requirement_id, unit_id, satisfied, in_review, sent_back FROM {CoverageCell._meta.db_table}
        WHERE requirement_id IN ({_id_list(requirement_ids)}) {units}
    """  # noqa: S608 - only integer ids are interpolated
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return {(r, u): (s, i, b) for r, u, s, i, b in cursor.fetchall()}


_ZERO = (0, 0, 0)


def state_of(due: int, satisfied: int, in_review: int, sent_back: int) -> str:
    if due == 0:
        return UPCOMING
    if satisfied >= due:
        return SATISFIED
    if in_review:
        return IN_REVIEW_STATE
    return SENT_BACK if sent_back else MISSING


@dataclass
class Board:
    """Counts per assigned requirement × unit; Cell objects are made only for the cells asked
    for (a page shows a few hundred of the 50,000), the totals straight from the counts."""

    requirements: list[MaterialRequirement]
    units: list[Any]
    due: dict[int, int] = field(default_factory=dict)
    counts: dict[tuple[int, int], tuple[int, int, int]] = field(default_factory=dict)
    pairs: set[tuple[int, int]] = field(default_factory=set)

    def cell(self, requirement_id: int, unit_id: int) -> Cell | None:
        pair = (requirement_id, unit_id)
        if pair not in self.pairs:
            return None
        return Cell(self.due[requirement_id], *self.counts.get(pair, _ZERO))

    @property
    def cells(self) -> dict[tuple[int, int], Cell]:
        return {pair: Cell(self.due[pair[0]], *self.counts.get(pair, _ZERO)) for pair in self.pairs}

    def totals(self) -> dict[str, int]:
        totals = dict.fromkeys(STATE_LABELS, 0)
        due, counts = self.due, self.counts
        for pair in self.pairs:
            totals[state_of(due[pair[0]], *counts.get(pair, _ZERO))] += 1
        return totals


def assigned_pairs(
    requirements: list[MaterialRequirement], unit_ids: list[int] | None
) -> set[tuple[int, int]]:
    """(requirement, unit) pairs where the unit is assigned to the requirement's task."""
    by_task: dict[int, list[int]] = {}
    for requirement in requirements:
        by_task.setdefault(requirement.task_id, []).append(requirement.pk)
    rows = TaskAssignment.objects.filter(task_id__in=by_task).order_by()
    if unit_ids is not None:
        rows = rows.filter(unit_id__in=unit_ids)
    return {(rid, unit) for task, unit in rows.values_list("task_id", "unit_id") for rid in by_task[task]}


def board(
    requirements: list[MaterialRequirement],
    units: list[Any],
    today: dt.date | None = None,
    unit_filter: bool = True,
) -> Board:
    """The coverage of the given requirements by the given units (assigned pairs only)."""
    today = today or timezone.localdate()
    unit_ids = [u.pk for u in units] if unit_filter else None
    due = {r.pk: len(due_periods(r, today)) for r in requirements}
    counts = cell_counts([r.pk for r in requirements], unit_ids)
    return Board(requirements, units, due, counts, assigned_pairs(requirements, unit_ids))


@dataclass
class PeriodCell:
    period: Period
    state: str
    submissions: list[Submission] = field(default_factory=list)

    @property
    def running(self) -> bool:
        """The period has not ended: nothing filed yet is "to file", not 缺报."""
        return self.period.end >= timezone.localdate()

    @property
    def label(self) -> str:
        if self.state == MISSING and self.running:
            return str(_("To file"))
        return str(STATE_LABELS[self.state])

    @property
    def colour(self) -> str:
        if self.state == MISSING and self.running:
            return "primary"
        return STATE_COLOURS[self.state]


def period_grid(
    requirement: MaterialRequirement, units: QuerySet, today: dt.date | None = None
) -> dict[int, list[PeriodCell]]:
    """{unit id: a cell per period} for one requirement (the drill-down of a board row)."""
    from chuangwen.materials.periods import periods_for

    today = today or timezone.localdate()
    periods = periods_for(requirement)
    best = {
        (row["unit_id"], row["period"]): row["best"]
        for row in Submission.objects.current()
        .filter(requirement=requirement, unit__in=units)
        .values("unit_id", "period")
        .annotate(best=Max(_rank_case()))
    }
    grid: dict[int, list[PeriodCell]] = {}
    for unit in units:
        cells = []
        for period in periods:
            if not period.has_started(today):
                state = UPCOMING
            else:
                state = _RANK.get(best.get((unit.pk, period.key), 0), MISSING)
            cells.append(PeriodCell(period, state))
        grid[unit.pk] = cells
    return grid


@dataclass
class DueItem:
    requirement: MaterialRequirement
    unit: Any
    period: Period
    state: str

    @property
    def running(self) -> bool:
        """The period has not ended: nothing filed yet is "to file", not 缺报."""
        return self.period.end >= timezone.localdate()

    @property
    def label(self) -> str:
        if self.state == MISSING and self.running:
            return str(_("To file"))
        return str(STATE_LABELS[self.state])

    @property
    def colour(self) -> str:
        if self.state == MISSING and self.running:
            return "primary"
        return STATE_COLOURS[self.state]

    @property
    def days_left(self) -> int:
        return (self.period.end - timezone.localdate()).days


def due_items(
    requirements: list[MaterialRequirement], units: list[Any], today: dt.date | None = None
) -> list[DueItem]:
    """What the units still owe: every begun period not yet satisfied, soonest end first."""
    today = today or timezone.localdate()
    unit_by_id = {u.pk: u for u in units}
    pairs = assigned_pairs(requirements, list(unit_by_id))
    if not pairs:
        return []
    best = {
        (row["requirement_id"], row["unit_id"], row["period"]): row["best"]
        for row in Submission.objects.current()
        .filter(requirement__in=[r for r, _u in pairs], unit_id__in=[u for _r, u in pairs])
        .values("requirement_id", "unit_id", "period")
        .annotate(best=Max(_rank_case()))
    }
    by_id = {r.pk: r for r in requirements}
    items = []
    for requirement_id, unit_id in pairs:
        requirement = by_id[requirement_id]
        for period in due_periods(requirement, today):
            state = _RANK.get(best.get((requirement_id, unit_id, period.key), 0), MISSING)
            if state != SATISFIED:
                items.append(DueItem(requirement, unit_by_id[unit_id], period, state))
    items.sort(key=lambda item: (item.period.end, item.requirement.pk, item.unit.pk))
    return items


CURRENT, OVERDUE, OLDER = "current", "overdue", "older"
BUCKET_LABELS = {CURRENT: _("This period"), OVERDUE: _("Overdue"), OLDER: _("Earlier periods")}


def bucket_of(item: DueItem, latest_ended: dict[tuple[int, int], dt.date], today: dt.date) -> str:
    """本期 (the period is running), 逾期 (the last period that ended, still not satisfied), or
    更早 (periods before that, kept one click away)."""
    if item.period.end >= today:
        return CURRENT
    if item.period.end >= latest_ended.get((item.requirement.pk, item.unit.pk), item.period.end):
        return OVERDUE
    return OLDER


def buckets(items: list[DueItem], today: dt.date | None = None) -> dict[str, list[DueItem]]:
    today = today or timezone.localdate()
    latest_ended: dict[tuple[int, int], dt.date] = {}
    for item in items:
        if item.period.end < today:
            key = (item.requirement.pk, item.unit.pk)
            latest_ended[key] = max(latest_ended.get(key, item.period.end), item.period.end)
    result: dict[str, list[DueItem]] = {CURRENT: [], OVERDUE: [], OLDER: []}
    for item in items:
        result[bucket_of(item, latest_ended, today)].append(item)
    return result
