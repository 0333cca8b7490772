"""The other widgets' figures per slice: survey rates against their thresholds, points by latest
inspection result, materials coverage and duty attendance. Each is one grouped read of its
table (or of the summary another app keeps), added into slices through the Territory."""

from __future__ import annotations

import datetime as dt
import os
from collections import defaultdict
from typing import Any

from django.db.models import Count

from chuangwen.campaigns.models import Campaign
from chuangwen.dashboard.territory import Territory
from chuangwen.materials import coverage
from chuangwen.materials.models import MaterialRequirement
from chuangwen.points.models import CheckIn, DutyShift, Point, status_of
from chuangwen.surveys.analysis import Analysis, Rate
from chuangwen.surveys.models import Answer, QuestionnaireStatus, Response, ResponseStatus, Round

DUTY_DAYS = 7
POINT_STATUSES = ("good", "fair", "poor", "none")


class CampaignAnalysis(Analysis):
    """Survey rates over every answer of the rounds: the refresh is the system computing figures
    for all slices at once; each slice is scoped when it is read (the snapshot row's unit)."""

    def answers(self) -> Any:
        return Answer.objects.filter(
            round_id__in=self.round_ids, question_id__in=[q.pk for q in self.questions]
        )


def latest_round(questionnaire_id: int) -> Round | None:
    """The most recent round of the questionnaire that has complete responses."""
    for round_ in Round.objects.filter(questionnaire_id=questionnaire_id).order_by("-starts_on", "-id"):
        if Response.objects.filter(round=round_, status=ResponseStatus.COMPLETE).exists():
            return round_
    return None


def surveys(campaign: Campaign, territory: Territory) -> dict[int | None, list[dict[str, Any]]]:
    """Per slice: one rate per questionnaire and measure (its latest round), with the 95 %
    interval, the threshold, the grade and whether it is below the threshold."""
    result: dict[int | None, list[dict[str, Any]]] = {key: [] for key in territory.slice_keys()}
    questionnaires = campaign.questionnaires.exclude(status=QuestionnaireStatus.DRAFT).order_by("name", "id")
    for questionnaire in questionnaires:
        round_ = latest_round(questionnaire.pk)
        if round_ is None:
            continue
        analysis = CampaignAnalysis(questionnaire, [round_], None)
        for measure in analysis.measures():
            pooled: dict[int | None, Rate] = {}
            for area in analysis.by_area(measure):
                for key in territory.slices_of(area.key):
                    rate = pooled.setdefault(
                        key, Rate(key=key, label="", measure=measure, threshold=analysis.threshold)
                    )
                    rate.add(area.n, area.total, area.answered)
            for key, rate in pooled.items():
                rate.grade = analysis.grader.grade(rate.rate, measure)
                row = rate.as_dict()
                row.update(
                    key=f"{questionnaire.pk}:{measure}",
                    label=f"{questionnaire.name} · {measure_label(measure)}",
                    measure_label=measure_label(measure),
                    questionnaire=questionnaire.name,
                    round=round_.name,
                )
                result[key].append(row)
    for rows in result.values():
        distinct_labels(rows)
    return result


def distinct_labels(rows: list[dict[str, Any]]) -> None:
    """Label each bar by what tells it apart: the measure alone when one questionnaire is shown,
    else the questionnaire without the words every name shares (明澜区群众满意度…) and the
    measure. The full name stays in `questionnaire` for the tooltip."""
    names = sorted({row["questionnaire"] for row in rows})
    if len(names) <= 1:
        for row in rows:
            row["label"] = row["measure_label"]
        return
    prefix = os.path.commonprefix(names)
    suffix = os.path.commonprefix([name[::-1] for name in names])[::-1]
    for row in rows:
        name = row["questionnaire"]
        short = name[len(prefix) : len(name) - len(suffix) or None].strip(" ·-—（）()") or name
        row["label"] = f"{short} · {row['measure_label']}"


def measure_label(measure: str) -> str:
    from chuangwen.surveys.models import Measure

    return str(Measure(measure).label) if measure in Measure.values else measure


def points(territory: Territory) -> dict[int | None, dict[str, int]]:
    """Active points counted by the colour of their latest inspection result."""
    result = {key: dict.fromkeys(POINT_STATUSES, 0) for key in territory.slice_keys()}
    rows = (
        Point.objects.filter(is_active=True)
        .values_list("unit_id", "last_score", "last_failed")
        .annotate(n=Count("id"))
        .order_by()
    )
    for unit_id, score, failed, n in rows:
        status = status_of(score, failed)
        for key in territory.slices_of(unit_id):
            result[key][status] += n
    for counts in result.values():
        counts["total"] = sum(counts[s] for s in POINT_STATUSES)
    return result


def materials(campaign: Campaign, territory: Territory, today: dt.date) -> dict[int | None, dict[str, Any]]:
    """Requirement × assigned unit cells by state, from the cells the materials app keeps."""
    states = list(coverage.STATE_LABELS)
    result = {key: dict.fromkeys(states, 0) for key in territory.slice_keys()}
    requirements = list(MaterialRequirement.objects.filter(task__campaign=campaign, is_active=True))
    if requirements:
        board = coverage.board(requirements, [], today=today, unit_filter=False)
        for (_requirement, unit_id), cell in board.cells.items():
            for key in territory.slices_of(unit_id):
                result[key][cell.state] += 1
    for counts in result.values():
        counts["cells"] = sum(counts[s] for s in states)
        due = counts["cells"] - counts[coverage.UPCOMING]
        counts["rate"] = round(100 * counts[coverage.SATISFIED] / due, 1) if due else None
    return result


def duty(territory: Territory, today: dt.date) -> dict[int | None, dict[str, Any]]:
    """Rostered places and check-ins over the last full days, by the point's responsible unit."""
    start, end = today - dt.timedelta(days=DUTY_DAYS), today - dt.timedelta(days=1)
    result = {key: {"assigned": 0, "attended": 0, "days": DUTY_DAYS} for key in territory.slice_keys()}
    through = DutyShift.people.through
    assigned = (
        through.objects.filter(dutyshift__date__range=(start, end))
        .values_list("dutyshift__point__unit_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    attended = (
        CheckIn.objects.filter(shift__date__range=(start, end))
        .values_list("shift__point__unit_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for field_name, rows in (("assigned", assigned), ("attended", attended)):
        sums: dict[int, int] = defaultdict(int)
        for unit_id, n in rows:
            sums[unit_id] += n
        for unit_id, n in sums.items():
            for key in territory.slices_of(unit_id):
                result[key][field_name] += n
    for counts in result.values():
        counts["missed"] = max(counts["assigned"] - counts["attended"], 0)
        counts["rate"] = (
            round(100 * counts["attended"] / counts["assigned"], 1) if counts["assigned"] else None
        )
    return result
