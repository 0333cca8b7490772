"""Adding up the ledger per unit: one GROUP BY query per kind of consequence over the whole
campaign and year, then each unit's lines weighed and capped by the year-end rules.

The figures are read from the records other apps keep, so the ledger is always current and
needs no copying: a card issued, a notice sent or a meeting missed shows at the next reading.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from chuangwen.campaigns.models import Campaign
from chuangwen.ledger.models import CREDIT_KINDS, EntryKind, YearEndRules
from chuangwen.org.models import Unit

Amounts = dict[int, tuple[int, float]]  # unit id -> (count, amount)


def window(year: int) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    return dt.datetime(year, 1, 1, tzinfo=tz), dt.datetime(year + 1, 1, 1, tzinfo=tz)


def _rows(qs: Any, amount: Any = None) -> Amounts:
    annotations = {"n": Count("id")}
    if amount is not None:
        annotations["amount"] = Sum(amount)
    out: Amounts = {}
    for r in qs.order_by().values("unit_id").annotate(**annotations):
        out[r["unit_id"]] = (r["n"], float(r["amount"] or 0) if amount is not None else float(r["n"]))
    return out


def _merge(*parts: Amounts) -> Amounts:
    out: dict[int, list[float]] = defaultdict(lambda: [0, 0.0])
    for part in parts:
        for unit_id, (n, amount) in part.items():
            out[unit_id][0] += n
            out[unit_id][1] += amount
    return {u: (int(n), a) for u, (n, a) in out.items()}


def latest_run(campaign: Campaign, year: int) -> Any:
    from chuangwen.scoring.models import ScoreRun

    _start, end = window(year)
    return (
        ScoreRun.objects.filter(campaign=campaign, computed_at__lt=end)
        .order_by("-computed_at", "-id")
        .first()
    )


def amounts(campaign: Campaign, year: int, today: dt.date | None = None) -> dict[str, Amounts]:
    """Every kind's (count, amount) per unit for the campaign's year."""
    from chuangwen.assessments.models import Card, Summons, UnitAssessment
    from chuangwen.ledger.models import Credit, Responsibility
    from chuangwen.meetings.models import Attendance, Decision
    from chuangwen.problems.models import RUNNING_STATUSES, Problem, Status, SupervisionNotice, UnitCard
    from chuangwen.scoring.models import LostPoint
    from chuangwen.tasks.models import AssignmentRole, Task, TaskAssignment, TaskState

    today = today or timezone.localdate()
    start, end = window(year)
    now = min(timezone.now(), end)
    territory = Q(unit__path__startswith=campaign.root_unit.path)
    in_year = {"issued_at__gte": start, "issued_at__lt": end}
    found: dict[str, Amounts] = {}
    run = latest_run(campaign, year)
    found[EntryKind.LOST_POINTS] = _rows(LostPoint.objects.filter(run=run), "lost") if run else {}
    found[EntryKind.ASSESSMENT] = _rows(
        UnitAssessment.objects.filter(
            month__campaign=campaign, month__month__year=year, month__status="published"
        ),
        "deducted",
    )
    for kind, color in ((EntryKind.YELLOW_CARD, "yellow"), (EntryKind.RED_CARD, "red")):
        found[kind] = _merge(
            _rows(UnitCard.objects.filter(campaign=campaign, color=color, **in_year)),
            _rows(Card.objects.filter(campaign=campaign, color=color, **in_year)),
        )
    found[EntryKind.NOTICE] = _rows(SupervisionNotice.objects.filter(territory, **in_year))
    found[EntryKind.OVERDUE_PROBLEM] = _rows(
        Problem.objects.filter(territory, reported_at__gte=start, reported_at__lt=end).filter(
            Q(status__in=RUNNING_STATUSES, deadline__lt=now) | Q(status=Status.CLOSED, on_time=False)
        )
    )
    overdue_tasks = Task.objects.filter(campaign=campaign).with_state(today).filter(state=TaskState.OVERDUE)
    found[EntryKind.OVERDUE_TASK] = _rows(
        TaskAssignment.objects.filter(
            task__in=overdue_tasks.values("pk"), role__in=(AssignmentRole.LEAD, AssignmentRole.RESPONSIBLE)
        )
    )
    found[EntryKind.SUMMONS] = _rows(Summons.objects.filter(campaign=campaign, held_on__year=year))
    found[EntryKind.MEETING_ABSENCE] = _rows(
        Attendance.objects.filter(meeting__campaign=campaign, meeting__held_on__year=year, attended=False)
    )
    found[EntryKind.OVERDUE_DECISION] = _rows(
        Decision.objects.open().filter(meeting__campaign=campaign, deadline__year=year, deadline__lt=today)
    )
    found[EntryKind.SHARED] = _rows(
        Responsibility.objects.filter(problem__reported_at__gte=start, problem__reported_at__lt=end).filter(
            unit__path__startswith=campaign.root_unit.path
        ),
        "share",
    )
    for kind in CREDIT_KINDS:
        found[kind] = _rows(
            Credit.objects.filter(campaign=campaign, kind=kind, awarded_on__year=year), "points"
        )
    return found


@dataclass
class Line:
    kind: str
    count: int
    amount: float
    weight: float
    cap: float | None
    points: float
    capped: bool

    @property
    def is_credit(self) -> bool:
        return self.kind in CREDIT_KINDS

    @property
    def label(self) -> str:
        return str(EntryKind(self.kind).label)


@dataclass
class UnitAccount:
    unit_id: int
    name: str
    path: str
    base: float
    lines: list[Line] = field(default_factory=list)
    deducted: float = 0.0
    credited: float = 0.0
    total: float = 0.0
    rank: int = 0


def rules_for(campaign: Campaign) -> YearEndRules:
    return YearEndRules.objects.filter(campaign=campaign).first() or YearEndRules(campaign=campaign)


def weigh(kind: str, count: int, amount: float, rules: YearEndRules) -> Line:
    rule = rules.rule(kind)
    weight = float(rule.get("weight") or 0)
    cap = rule.get("cap")
    raw = round(amount * weight, 2)
    capped = cap is not None and raw > float(cap)
    return Line(kind, count, round(amount, 2), weight, cap, round(float(cap), 2) if capped else raw, capped)


def accounts(campaign: Campaign, year: int, today: dt.date | None = None) -> list[UnitAccount]:
    """Every unit's year-end account, ranked (highest total first). Units of the kinds the
    monthly assessment covers always have a row; any other unit appears when it has a line."""
    from chuangwen.assessments.models import AssessmentConfig, default_unit_kinds

    rules = rules_for(campaign)
    base = float(rules.base_score)
    found = amounts(campaign, year, today)
    config = AssessmentConfig.objects.filter(campaign=campaign).first()
    kinds = (config.unit_kinds if config else None) or default_unit_kinds()
    with_lines = {u for part in found.values() for u in part}
    units = Unit.objects.filter(path__startswith=campaign.root_unit.path).filter(
        Q(kind__in=kinds, is_active=True) | Q(pk__in=with_lines)
    )
    result = []
    for unit_id, name, path in units.values_list("pk", "name", "path").order_by("path"):
        account = UnitAccount(unit_id, name, path, base)
        for kind in EntryKind.values:
            if unit_id in found[kind]:
                n, amount = found[kind][unit_id]
                line = weigh(kind, n, amount, rules)
                account.lines.append(line)
                if line.is_credit:
                    account.credited += line.points
                else:
                    account.deducted += line.points
        account.deducted = round(account.deducted, 2)
        account.credited = round(account.credited, 2)
        account.total = round(base - account.deducted + account.credited, 2)
        result.append(account)
    result.sort(key=lambda a: (-a.total, a.path))
    rank, previous = 0, None
    for index, account in enumerate(result, start=1):
        if account.total != previous:
            rank, previous = index, account.total
        account.rank = rank
    return result


def lost_detail(campaign: Campaign, year: int, unit: Unit) -> list[dict[str, Any]]:
    """The unit's lost points by method and indicator (谁失分谁负责), most lost first."""
    from chuangwen.scoring.models import LostPoint

    run = latest_run(campaign, year)
    if run is None:
        return []
    rows = (
        LostPoint.objects.filter(run=run, unit=unit)
        .order_by()
        .values("method", "role", code=F("indicator__code"), indicator_name=F("indicator__name"))
        .annotate(lost=Sum("lost"))
        .order_by("-lost")
    )
    from chuangwen.scoring.summary import method_name

    # The method by its name (实地考察), as everywhere people read it; the code stays in "method".
    return [{**row, "method_label": method_name(row["method"])} for row in rows]
