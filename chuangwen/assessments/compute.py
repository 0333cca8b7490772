"""What each unit lost in one month, read from the records the other apps keep.

One query per rule kind over the whole campaign territory (never one per unit), each giving
(unit id, record id) pairs; `results()` turns them into per-unit lines with caps applied.

What counts, and in which month:
- overdue problem: its deadline fell in the month (and has passed), and the unit did not
  hand in the rectification by then: still running after the deadline, submitted late, or
  closed as not on time. A problem therefore counts once, in the month of its deadline.
- rework: each failed verification (ProblemEvent "rejected") in the month, for the problem's
  responsible unit.
- material sent back at final review: each 终审 "send back" in the month on a submission of
  the campaign's tasks, for the submitting unit.
- yellow / red card: each card issued in the month, automatic (problems.UnitCard, from the
  escalation job) and manual (assessments.Card).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F, Q
from django.utils import timezone

from chuangwen.assessments.models import (
    AssessmentConfig,
    AssessmentMonth,
    Card,
    CardColor,
    DeductionRule,
    RuleKind,
)
from chuangwen.materials.models import Decision, ReviewAction, ReviewLevel
from chuangwen.org.models import Unit
from chuangwen.problems.models import RUNNING_STATUSES, EventKind, Problem, ProblemEvent, Status, UnitCard
from chuangwen.problems.models import CardColor as ProblemCardColor

ZERO = Decimal("0")


@dataclass
class Line:
    kind: str
    count: int
    points_each: Decimal
    points: Decimal
    capped: bool
    records: dict[str, list[int]]


@dataclass
class UnitResult:
    unit_id: int
    base_score: Decimal
    lines: list[Line] = field(default_factory=list)

    @property
    def deducted(self) -> Decimal:
        return sum((line.points for line in self.lines), ZERO)

    @property
    def score(self) -> Decimal:
        # A unit cannot go below zero: the ranking means nothing past it.
        return max(ZERO, self.base_score - self.deducted)


def _counted(month: AssessmentMonth) -> dict[str, dict[int, dict[str, list[int]]]]:
    """kind -> unit id -> record type -> ids, for the month, over the campaign territory."""
    campaign = month.campaign
    root = campaign.root_unit
    start, end = month.bounds()
    now = timezone.now()
    out: dict[str, dict[int, dict[str, list[int]]]] = {
        kind: defaultdict(lambda: defaultdict(list)) for kind in RuleKind.values
    }
    in_territory = Q(unit__path__startswith=root.path)

    overdue = (
        Problem.objects.filter(in_territory, deadline__gte=start, deadline__lt=min(end, now))
        .exclude(status__in=(Status.DUPLICATE, Status.NOT_APPLICABLE))
        .filter(Q(status__in=RUNNING_STATUSES) | Q(submitted_at__gt=F("deadline")) | Q(on_time=False))
        .values_list("unit_id", "id")
    )
    for unit_id, pk in overdue:
        out[RuleKind.OVERDUE][unit_id]["problems"].append(pk)

    rework = ProblemEvent.objects.filter(
        kind=EventKind.REJECTED, at__gte=start, at__lt=end, problem__unit__path__startswith=root.path
    ).values_list("problem__unit_id", "problem_id")
    for unit_id, pk in rework:
        out[RuleKind.REWORK][unit_id]["problems"].append(pk)

    sent_back = ReviewAction.objects.filter(
        level=ReviewLevel.FINAL,
        decision=Decision.SEND_BACK,
        acted_at__gte=start,
        acted_at__lt=end,
        submission__requirement__task__campaign=campaign,
    ).values_list("submission__unit_id", "submission_id")
    for unit_id, pk in sent_back:
        out[RuleKind.FINAL_SEND_BACK][unit_id]["submissions"].append(pk)

    colors = {ProblemCardColor.YELLOW: RuleKind.YELLOW_CARD, ProblemCardColor.RED: RuleKind.RED_CARD}
    auto = UnitCard.objects.filter(
        in_territory, campaign=campaign, issued_at__gte=start, issued_at__lt=end
    ).values_list("unit_id", "color", "id")
    for unit_id, color, pk in auto:
        out[colors[color]][unit_id]["unit_cards"].append(pk)
    manual_colors = {CardColor.YELLOW: RuleKind.YELLOW_CARD, CardColor.RED: RuleKind.RED_CARD}
    manual = Card.objects.filter(campaign=campaign, issued_at__gte=start, issued_at__lt=end).values_list(
        "unit_id", "color", "id"
    )
    for unit_id, color, pk in manual:
        out[manual_colors[color]][unit_id]["cards"].append(pk)
    return out


def assessed_unit_ids(config: AssessmentConfig) -> list[int]:
    """The units that get a row every month, in tree order. The campaign office (and its
    sections) runs the assessment and is not ranked in it, unless it lost points itself."""
    campaign = config.campaign
    units = Unit.objects.under(campaign.root_unit, include_self=False).filter(
        is_active=True, kind__in=config.unit_kinds or []
    )
    if campaign.office_unit_id:
        units = units.exclude(path__startswith=campaign.office_unit.path)
    return list(units.order_by("path").values_list("pk", flat=True))


def results(month: AssessmentMonth, config: AssessmentConfig, rules: list[DeductionRule]) -> list[UnitResult]:
    """Every assessed unit's result (units with deductions are always included)."""
    counted = _counted(month)
    by_unit: dict[int, UnitResult] = {
        pk: UnitResult(pk, config.base_score) for pk in assessed_unit_ids(config)
    }
    for rule in rules:
        if not rule.is_active:
            continue
        for unit_id, records in counted[rule.kind].items():
            if unit_id is None:
                continue
            count = sum(len(ids) for ids in records.values())
            raw = rule.points * count
            points = min(raw, rule.cap) if rule.cap is not None else raw
            result = by_unit.setdefault(unit_id, UnitResult(unit_id, config.base_score))
            result.lines.append(
                Line(
                    rule.kind,
                    count,
                    rule.points,
                    points,
                    points < raw,
                    {k: list(v) for k, v in records.items()},
                )
            )
    return list(by_unit.values())


def ranked(rows: list[UnitResult]) -> list[tuple[int, UnitResult]]:
    """Competition ranking (1, 1, 3): equal scores share a rank."""
    ordered = sorted(rows, key=lambda r: -r.score)
    out = []
    rank = 0
    previous = None
    for index, row in enumerate(ordered, start=1):
        if row.score != previous:
            rank = index
            previous = row.score
        out.append((rank, row))
    return out
