"""Everything a score run reads, fetched with a few grouped queries (no per-object loops).

- indicators and systems of the campaign;
- task owners per indicator (tasks app assignments);
- material coverage per requirement × assigned unit (materials app CoverageCell: kept counts);
- field results per indicator × point (one GROUP BY over observations of the campaign's rounds),
  and the failed observations with their problem's status and unit;
- survey answers per question × area (one GROUP BY, as surveys.analysis does) for questions
  linked to an indicator, graded with the questionnaire's bands (surveys.analysis.Grader);
- 部门评价 values;
- the 12345 hotline's work orders of the territory and year, counted per unit by problems.rates
  (found, due, closed, closed on time: the telephone check, 电话核验).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils import timezone

from chuangwen.campaigns.models import Campaign
from chuangwen.indicators.models import EvaluationSystem, Indicator, SystemLevel
from chuangwen.inspections.models import Observation, RoundStatus
from chuangwen.materials.models import CoverageCell, MaterialRequirement
from chuangwen.materials.periods import due_periods
from chuangwen.points.models import Point
from chuangwen.problems.models import OPEN_STATUSES, Problem, Source
from chuangwen.problems.rates import Counts, counted, grouped
from chuangwen.scoring.models import DepartmentEvaluation
from chuangwen.surveys.analysis import Grader
from chuangwen.surveys.models import Answer, Question, Questionnaire
from chuangwen.surveys.models import Round as SurveyRound
from chuangwen.tasks.models import AssignmentRole, Task, TaskAssignment

CHUNK = 5000  # ids per IN (...) list: far below every database's parameter limit


@dataclass
class IndicatorRow:
    id: int
    system_id: int
    level: int
    parent_id: int | None
    code: str
    name: str
    points: float | None
    methods: list[str]


@dataclass
class SurveyGroup:
    """The answers of one questionnaire's questions serving one indicator on one measure."""

    questionnaire_id: int
    measure: str
    threshold: float
    grader: Any
    areas: dict[int, list[float]] = field(default_factory=dict)  # unit -> [n, total]

    # Totals are read many times (every what-if of the group) and the areas never change
    # after gathering: computed once.
    @cached_property
    def n(self) -> int:
        return int(sum(a[0] for a in self.areas.values()))

    @cached_property
    def total(self) -> float:
        return sum(a[1] for a in self.areas.values())

    def grade(self, rate: float | None) -> str:
        graded = self.grader.grade(rate, self.measure)
        if graded:
            return graded
        # A questionnaire without bands: pass or fail on its threshold.
        return "" if rate is None else ("A" if round(rate, 9) >= self.threshold else "C")


@dataclass
class Inputs:
    campaign: Campaign
    today: dt.date
    systems: dict[int, EvaluationSystem]
    indicators: dict[int, IndicatorRow]
    owners: dict[int, list[tuple[int, str]]]  # indicator -> [(unit, role)]
    requirements: dict[int, list[dict[str, Any]]]  # indicator -> requirement dicts with cells
    field: dict[int, dict[int, list[float]]]  # indicator -> point -> [score, max, failed]
    failed: dict[int, list[dict[str, Any]]]  # indicator -> failed observations
    points: dict[int, tuple[str, int, str]]  # point -> (name, unit, type code)
    survey: dict[int, list[SurveyGroup]]
    department: dict[int, DepartmentEvaluation]
    hotline: dict[int, Counts] = field(default_factory=dict)  # unit -> its 12345 orders counted


def _chunks(ids: list[int]) -> list[list[int]]:
    return [ids[i : i + CHUNK] for i in range(0, len(ids), CHUNK)]


def gather(campaign: Campaign, today: dt.date | None = None) -> Inputs:
    today = today or timezone.localdate()
    systems = {s.pk: s for s in EvaluationSystem.objects.filter(campaign=campaign)}
    indicators = {
        row[0]: IndicatorRow(*row[:7], list(row[7] or []))
        for row in Indicator.objects.filter(system__in=list(systems))
        .order_by("system_id", "position", "id")
        .values_list("id", "system_id", "level", "parent_id", "code", "name", "points", "methods")
    }
    for row in indicators.values():
        row.points = None if row.points is None else float(row.points)
    return Inputs(
        campaign=campaign,
        today=today,
        systems=systems,
        indicators=indicators,
        owners=_owners(campaign),
        requirements=_materials(campaign, today),
        field=_field(campaign),
        failed=_failed(campaign),
        points={},
        survey=_survey(campaign, systems, indicators),
        department={e.indicator_id: e for e in DepartmentEvaluation.objects.filter(campaign=campaign)},
        hotline=_hotline(campaign),
    )


def _hotline(campaign: Campaign) -> dict[int, Counts]:
    """12345 work orders reported in the campaign's year inside its territory, per responsible
    unit, counted by problems.rates (duplicates and not-applicable reports left out; units with
    nothing due left out). One GROUP BY."""
    year = campaign.year
    qs = counted(
        Problem.objects.filter(source=Source.HOTLINE_12345, unit__isnull=False),
        dt.date(year, 1, 1),
        dt.date(year, 12, 31),
    )
    qs = qs.filter(unit__path__startswith=campaign.root_unit.path)
    rows = grouped(qs, ["unit_id"], timezone.now())
    return {r["unit_id"]: Counts.of(r) for r in rows if r["due"]}


def load_points(inputs: Inputs) -> None:
    ids = {p for per in inputs.field.values() for p in per}
    for chunk in _chunks(sorted(ids)):
        for pk, name, unit_id, code in Point.objects.filter(pk__in=chunk).values_list(
            "pk", "name", "unit_id", "point_type__code"
        ):
            inputs.points[pk] = (name, unit_id, code)


def _owners(campaign: Campaign) -> dict[int, list[tuple[int, str]]]:
    owners: dict[int, list[tuple[int, str]]] = defaultdict(list)
    rows = TaskAssignment.objects.filter(task__campaign=campaign).values_list(
        "task__indicator_id", "unit_id", "role"
    )
    seen = set()
    for indicator_id, unit_id, role in rows.order_by():
        if (indicator_id, unit_id) in seen:
            continue
        seen.add((indicator_id, unit_id))
        owners[indicator_id].append((unit_id, role))
    return owners


def task_owner_units(owners: list[tuple[int, str]]) -> list[int]:
    """Lead units answer first; responsible units when there is no lead; else everyone."""
    for roles in ((AssignmentRole.LEAD,), (AssignmentRole.RESPONSIBLE,)):
        found = [u for u, r in owners if r in roles]
        if found:
            return found
    return [u for u, _r in owners]


def _materials(campaign: Campaign, today: dt.date) -> dict[int, list[dict[str, Any]]]:
    requirements = list(
        MaterialRequirement.objects.filter(task__campaign=campaign, is_active=True).select_related(
            "task__campaign"
        )
    )
    if not requirements:
        return {}
    units_by_task: dict[int, list[int]] = defaultdict(list)
    for task_id, unit_id in TaskAssignment.objects.filter(task__campaign=campaign).values_list(
        "task_id", "unit_id"
    ):
        units_by_task[task_id].append(unit_id)
    cells = {
        (r, u): (s, i, b)
        for r, u, s, i, b in CoverageCell.objects.filter(requirement__task__campaign=campaign).values_list(
            "requirement_id", "unit_id", "satisfied", "in_review", "sent_back"
        )
    }
    # Requirements of one task share the window arithmetic per cadence; cache by its inputs.
    due_cache: dict[tuple, int] = {}
    out: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for r in requirements:
        key = (r.cadence, r.window_from, r.window_to, str(r.named_dates))
        if key not in due_cache:
            due_cache[key] = len(due_periods(r, today))
        due = due_cache[key]
        unit_cells = {u: cells.get((r.pk, u), (0, 0, 0)) for u in units_by_task.get(r.task_id, [])}
        out[r.task.indicator_id].append(
            {"id": r.pk, "title": r.title, "kind": r.kind, "due": due, "cells": unit_cells}
        )
    return out


def _observations(campaign: Campaign):
    return Observation.objects.filter(
        round_point__round__campaign=campaign,
        item__indicator__system__campaign=campaign,
        score__isnull=False,
        max_score__gt=0,
    ).exclude(round_point__round__status=RoundStatus.DRAFT)


def _field(campaign: Campaign) -> dict[int, dict[int, list[float]]]:
    out: dict[int, dict[int, list[float]]] = defaultdict(dict)
    rows = (
        _observations(campaign)
        .values_list("item__indicator_id", "round_point__point_id")
        .annotate(s=Sum("score"), m=Sum("max_score"), f=Count("pk", filter=Q(failed=True)))
        .order_by()
    )
    for indicator_id, point_id, s, m, f in rows:
        out[indicator_id][point_id] = [float(s or 0), float(m or 0), int(f)]
    return out


def _failed(campaign: Campaign) -> dict[int, list[dict[str, Any]]]:
    rows = list(
        _observations(campaign)
        .filter(failed=True)
        .values_list(
            "pk",
            "item__indicator_id",
            "round_point_id",
            "round_point__point_id",
            "item__number",
            "item__text",
            "score",
            "max_score",
            "problem_id",
        )
        .order_by()
    )
    problem_ids = sorted({r[8] for r in rows if r[8]})
    problems: dict[int, tuple[str, int | None]] = {}
    for chunk in _chunks(problem_ids):
        for pk, status, unit_id in Problem.objects.filter(pk__in=chunk).values_list(
            "pk", "status", "unit_id"
        ):
            problems[pk] = (status, unit_id)
    out: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for pk, indicator_id, rp_id, point_id, number, text, score, max_score, problem_id in rows:
        status, problem_unit = problems.get(problem_id, ("", None)) if problem_id else ("", None)
        out[indicator_id].append(
            {
                "id": pk,
                "round_point": rp_id,
                "point": point_id,
                "item": f"{number}. {text[:60]}",
                "lost": float(max_score) - float(score),
                "problem": problem_id,
                "problem_open": status in OPEN_STATUSES,
                "problem_unit": problem_unit,
            }
        )
    return out


def _survey(
    campaign: Campaign, systems: dict[int, EvaluationSystem], indicators: dict[int, IndicatorRow]
) -> dict[int, list[SurveyGroup]]:
    questionnaires = {
        q.pk: q for q in Questionnaire.objects.filter(campaign=campaign).prefetch_related("bands")
    }
    if not questionnaires:
        return {}
    # A question names its indicator by link, else by code in the city system (the main one).
    main = [pk for pk, s in systems.items() if s.level not in (SystemLevel.MINORS, SystemLevel.VILLAGES)]
    by_code = {row.code: pk for pk, row in indicators.items() if row.system_id in main}
    for pk, row in indicators.items():
        by_code.setdefault(row.code, pk)
    questions: dict[int, tuple[int, int, str, float]] = {}
    for q in Question.objects.filter(questionnaire__in=list(questionnaires)).select_related("questionnaire"):
        indicator_id = q.indicator_id if q.indicator_id in indicators else by_code.get(q.indicator_code)
        if indicator_id is None or q.kind not in ("single", "yes_no", "rating") or q.is_screening:
            continue
        questions[q.pk] = (indicator_id, q.questionnaire_id, q.measure, float(q.effective_threshold()))
    if not questions:
        return {}
    rounds = list(
        SurveyRound.objects.filter(questionnaire__in=list(questionnaires)).values_list("pk", flat=True)
    )
    graders = {pk: Grader(q) for pk, q in questionnaires.items()}
    groups: dict[tuple[int, int, str], SurveyGroup] = {}
    rows = (
        Answer.objects.filter(round_id__in=rounds, question_id__in=list(questions), score__isnull=False)
        .values_list("question_id", "unit_id", "score")
        .annotate(c=Count("*"))
        .order_by()
    )
    for question_id, unit_id, score, count in rows:
        indicator_id, questionnaire_id, measure, threshold = questions[question_id]
        group = groups.get((indicator_id, questionnaire_id, measure))
        if group is None:
            group = groups[(indicator_id, questionnaire_id, measure)] = SurveyGroup(
                questionnaire_id, measure, threshold, graders[questionnaire_id]
            )
        area = group.areas.setdefault(unit_id, [0, 0.0])
        area[0] += count
        area[1] += score * count
    out: dict[int, list[SurveyGroup]] = defaultdict(list)
    for (indicator_id, _q, _m), group in groups.items():
        out[indicator_id].append(group)
    return out


def task_ids(campaign: Campaign) -> dict[int, list[int]]:
    out: dict[int, list[int]] = defaultdict(list)
    for pk, indicator_id in Task.objects.filter(campaign=campaign).values_list("pk", "indicator_id"):
        out[indicator_id].append(pk)
    return out
