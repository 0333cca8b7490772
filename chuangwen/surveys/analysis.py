"""Rates with 95 % Wilson score intervals, per question, indicator, area and unit subtree, and
their trend across rounds.

Every rate is computed in the database: one GROUP BY (question, unit) over the answer rows of
the rounds, restricted to what the user may see through the scoping helper. Python only adds up
those few hundred groups into questions, indicators, areas and their parent units.

A rate is the mean score of the counted answers: 满意 1 + 基本满意 0.8 + 不满意 0 over the
answers that count (说不清 left out unless the question counts it), a rating as its position on
the scale. For a yes/no or a single choice with 0/1 values it is the plain proportion.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count

from chuangwen.accounts.scope import scope_for, scoped
from chuangwen.org.models import Unit
from chuangwen.surveys.models import (
    SCORED_KINDS,
    Answer,
    Measure,
    Question,
    QuestionKind,
    Questionnaire,
    Round,
)

Z95 = 1.959963984540054  # the 97.5th percentile of the standard normal distribution


def wilson_interval(successes: float, n: float, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval for a proportion: successes out of n, at confidence z.

    Unlike p ± z·√(p(1−p)/n) it stays inside [0, 1] and behaves at p = 0, p = 1 and small n,
    which is exactly where a community with 20 interviews lives. With fractional successes
    (基本满意 worth 0.8) the same formula gives the usual approximation for a mean score.
    """
    if n <= 0:
        return 0.0, 1.0
    p = min(max(successes / n, 0.0), 1.0)
    z2 = z * z
    denominator = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass
class Rate:
    """A rate and everything shown beside it."""

    key: Any
    label: str
    n: int = 0  # answers that count
    total: float = 0.0  # sum of their scores
    answered: int = 0  # every answer, including “don't know” left out of the rate
    threshold: float = 0.8
    grade: str = ""
    measure: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def add(self, n: int, total: float, answered: int) -> None:
        self.n += n
        self.total += total
        self.answered += answered

    @property
    def rate(self) -> float | None:
        return self.total / self.n if self.n else None

    @property
    def interval(self) -> tuple[float, float]:
        return wilson_interval(self.total, self.n)

    @property
    def low(self) -> float | None:
        return self.interval[0] if self.n else None

    @property
    def high(self) -> float | None:
        return self.interval[1] if self.n else None

    @property
    def below(self) -> bool:
        """Below the threshold (flagged). Sums of 0.8s are not exact in floating point, so the
        comparison is made on the rate rounded to 9 places: 4.8 / 6 is 80 %, not below it."""
        return self.rate is not None and round(self.rate, 9) < self.threshold

    @property
    def clearly_below(self) -> bool:
        """Even the upper end of the 95 % interval is below the threshold: not a sampling accident."""
        return self.n > 0 and self.interval[1] < self.threshold

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "measure": self.measure,
            "n": self.n,
            "answered": self.answered,
            "rate": _round(self.rate),
            "low": _round(self.low),
            "high": _round(self.high),
            "threshold": self.threshold,
            "grade": self.grade,
            "below": self.below,
            "clearly_below": self.clearly_below,
            **self.extra,
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


class Grader:
    """Grade bands of a questionnaire by measure, the measure-less bands as fallback."""

    def __init__(self, questionnaire: Questionnaire) -> None:
        self.bands: dict[str, list[tuple[str, Decimal | None]]] = defaultdict(list)
        for band in questionnaire.bands.all():
            self.bands[band.measure].append((band.grade, band.lower))
        for bands in self.bands.values():
            bands.sort(key=lambda b: -1 if b[1] is None else float(b[1]), reverse=True)

    def grade(self, rate: float | None, measure: str = "") -> str:
        if rate is None:
            return ""
        rate = round(rate, 9)  # as in Rate.below: 0.8000000001 is 80 %, which is not above 80 %
        for grade, lower in self.bands.get(measure) or self.bands.get("", []):
            if lower is None or rate > float(lower):
                return grade
        return ""


def rated_questions(questionnaire: Questionnaire) -> list[Question]:
    """The questions that have a rate: ratings, and choices with at least one valued option
    (满意 1 …), leaving out screening questions and demographics such as sex."""
    questions = questionnaire.questions.order_by("order", "id").prefetch_related("options")
    return [
        q
        for q in questions
        if q.kind in SCORED_KINDS
        and not q.is_screening
        and (q.kind == QuestionKind.RATING or any(o.value is not None for o in q.options.all()))
    ]


class Analysis:
    """The rates of one questionnaire over some of its rounds, as the user may see them."""

    def __init__(
        self, questionnaire: Questionnaire, rounds: Iterable[Round], user: Any, measures: Iterable[str] = ()
    ) -> None:
        self.questionnaire = questionnaire
        self.round_ids = [r.pk for r in rounds]
        self.user = user
        self.grader = Grader(questionnaire)
        self.threshold = float(questionnaire.threshold)
        only = set(measures)  # some measures only: fewer answer rows to aggregate
        self.questions = [q for q in rated_questions(questionnaire) if not only or q.measure in only]
        self._groups: list[tuple[int, int, int, float, int]] | None = None
        self._units: dict[int, Unit] = {}

    def answers(self) -> Any:
        """The answer rows in reach: these rounds, scored questions, the user's scope."""
        qs = Answer.objects.filter(
            round_id__in=self.round_ids, question_id__in=[q.pk for q in self.questions]
        )
        return scoped(qs, self.user)

    def groups(self) -> list[tuple[int, int, int, float, int]]:
        """(question, unit, counted, sum of scores, answered): the one aggregate query.

        The database groups by (question, unit, score) and only counts: every score is one of a
        few option values, the index is in exactly that order, and COUNT(*) is the cheapest
        aggregate SQLite has (a third faster over millions of rows than COUNT + SUM). The few
        thousand groups are then added up per (question, unit) here.
        """
        if self._groups is None:
            rows = (
                self.answers()
                .values_list("question_id", "unit_id", "score")
                .annotate(c=Count("*"))
                .order_by()
            )
            sums: dict[tuple[int, int], list] = {}
            for question_id, unit_id, score, count in rows:
                cell = sums.setdefault((question_id, unit_id), [0, 0.0, 0])
                cell[2] += count
                if score is not None:
                    cell[0] += count
                    cell[1] += score * count
            self._groups = [(q, u, n, total, answered) for (q, u), (n, total, answered) in sums.items()]
        return self._groups

    def units(self, ids: Iterable[int]) -> dict[int, Unit]:
        """Units by id, each loaded once per analysis (names and paths for the tables)."""
        missing = [pk for pk in ids if pk not in self._units]
        if missing:
            self._units.update(Unit.objects.only("name", "path", "depth").in_bulk(missing))
        return self._units

    def _rate(self, key: Any, label: str, measure: str, threshold: float | None = None) -> Rate:
        return Rate(key=key, label=label, measure=measure, threshold=threshold or self.threshold)

    def _grade(self, rates: Iterable[Rate]) -> None:
        for rate in rates:
            rate.grade = self.grader.grade(rate.rate, rate.measure)

    def by_question(self) -> list[Rate]:
        rates = {
            q.pk: Rate(
                key=q.pk,
                label=f"{q.name}. {q.label}",
                measure=q.measure,
                threshold=float(q.effective_threshold()),
                extra={"name": q.name, "indicator": q.indicator_code},
            )
            for q in self.questions
        }
        for question_id, _unit, n, total, answered in self.groups():
            rates[question_id].add(n, total, answered)
        self._grade(rates.values())
        return list(rates.values())

    def by_indicator(self) -> list[Rate]:
        """Questions pooled by the indicator code they serve (answers of all its questions)."""
        per_question = {r.key: r for r in self.by_question()}
        rates: dict[tuple[str, str], Rate] = {}
        for q in self.questions:
            if not q.indicator_code:
                continue
            rate = rates.setdefault(
                (q.indicator_code, q.measure),
                self._rate(q.indicator_code, q.indicator_code, q.measure, float(q.effective_threshold())),
            )
            source = per_question[q.pk]
            rate.add(source.n, source.total, source.answered)
            rate.extra.setdefault("questions", []).append(q.name)
        self._grade(rates.values())
        return sorted(rates.values(), key=lambda r: (r.key, r.measure))

    def measures(self) -> list[str]:
        return [m for m in Measure.values if any(q.measure == m for q in self.questions)]

    def _question_filter(self, measure: str = "", question: int | None = None) -> set[int]:
        return {
            q.pk
            for q in self.questions
            if (question is None or q.pk == question) and (not measure or q.measure == measure)
        }

    def by_area(self, measure: str = "", question: int | None = None) -> list[Rate]:
        """One rate per area unit that has answers (the unit a response was collected in)."""
        wanted = self._question_filter(measure, question)
        rates: dict[int, Rate] = {}
        for question_id, unit_id, n, total, answered in self.groups():
            if question_id in wanted:
                rates.setdefault(unit_id, self._rate(unit_id, "", measure)).add(n, total, answered)
        units = self.units(rates)
        for unit_id, rate in rates.items():
            rate.label = units[unit_id].name
            rate.extra["path"] = units[unit_id].path
        self._grade(rates.values())
        return sorted(rates.values(), key=lambda r: r.extra["path"])

    def by_unit(self, measure: str = "", question: int | None = None, depth: int | None = None) -> list[Rate]:
        """Rates of units with their whole subtree: each area's groups are added to the area and
        to every ancestor the user may see. `depth` keeps only units at that tree depth."""
        scope = scope_for(self.user)
        areas = self.by_area(measure, question)
        ancestor_ids = {int(p) for a in areas for p in a.extra["path"].strip("/").split("/")}
        units = self.units(ancestor_ids)
        rates: dict[int, Rate] = {}
        for area in areas:
            for part in area.extra["path"].strip("/").split("/"):
                unit = units[int(part)]
                if depth is not None and unit.depth != depth:
                    continue
                if not scope.covers(unit):
                    continue
                rate = rates.setdefault(unit.pk, self._rate(unit.pk, unit.name, measure))
                rate.extra.update(path=unit.path, depth=unit.depth)
                rate.add(area.n, area.total, area.answered)
        self._grade(rates.values())
        return sorted(rates.values(), key=lambda r: r.extra["path"])

    def flagged(self) -> list[Rate]:
        """Areas below the threshold on any measure, worst first."""
        found = []
        for measure in self.measures():
            for rate in self.by_area(measure):
                if rate.below:
                    found.append(rate)
        return sorted(found, key=lambda r: (r.rate or 0.0, r.label))

    def distribution(self) -> dict[int, list[dict[str, Any]]]:
        """How often each option (or each rating) was given, per question, with its share."""
        questions = {q.pk: q for q in self.questionnaire.questions.prefetch_related("options")}
        qs = scoped(
            Answer.objects.filter(round_id__in=self.round_ids, question_id__in=list(questions)),
            self.user,
        ).exclude(question__kind__in=[QuestionKind.TEXT])
        counts = qs.values_list("question_id", "option_id", "number").annotate(c=Count("id")).order_by()
        respondents = dict(
            qs.values_list("question_id").annotate(c=Count("response_id", distinct=True)).order_by()
        )
        found: dict[int, dict[Any, int]] = defaultdict(dict)
        for question_id, option_id, number, c in counts:
            found[question_id][option_id if option_id is not None else number] = c
        result: dict[int, list[dict[str, Any]]] = {}
        for qid, question in questions.items():
            total = respondents.get(qid, 0)
            if question.has_options:
                keys = [(o.pk, o.label) for o in question.options.all()]
            elif question.kind == QuestionKind.RATING:
                keys = [
                    (float(v), str(v))
                    for v in range((question.scale_min or 0), (question.scale_max or 0) + 1)
                ]
            else:
                keys = [(k, str(int(k))) for k in sorted(found.get(qid, {}))]
            result[qid] = [
                {
                    "label": label,
                    "count": found[qid].get(key, 0),
                    "share": _share(found[qid].get(key, 0), total),
                }
                for key, label in keys
            ]
        return result


def _share(count: int, total: int) -> float | None:
    return round(count / total, 4) if total else None


def trend(rounds: list[Round], user: Any) -> dict[str, Any]:
    """Rates by measure for each round, oldest first: the line chart across rounds.

    Rounds of different questionnaires of a campaign are comparable by measure (满意率 stays
    满意率); each round is one GROUP BY over its answers.
    """
    rounds = sorted(rounds, key=lambda r: (r.starts_on is None, r.starts_on, r.pk))
    measures = list(Measure.values)
    question_measure = dict(
        Question.objects.filter(questionnaire__rounds__in=rounds, is_screening=False)
        .exclude(measure="")
        .filter(kind__in=list(SCORED_KINDS))
        .values_list("pk", "measure")
    )
    rows = (
        scoped(Answer.objects.filter(round__in=rounds, question_id__in=list(question_measure)), user)
        .filter(score__isnull=False)
        .values_list("round_id", "question_id", "score")
        .annotate(c=Count("*"))
        .order_by()
    )
    pooled: dict[tuple[int, str], list[float]] = defaultdict(lambda: [0, 0.0])
    for round_id, question_id, score, count in rows:
        cell = pooled[(round_id, question_measure[question_id])]
        cell[0] += count
        cell[1] += score * count
    series = []
    for measure in measures:
        values = []
        for r in rounds:
            n, total = pooled.get((r.pk, measure), (0, 0.0))
            low, high = wilson_interval(total, n) if n else (None, None)
            values.append(
                {"rate": _round(total / n) if n else None, "n": n, "low": _round(low), "high": _round(high)}
            )
        if any(v["n"] for v in values):
            series.append({"measure": measure, "label": str(Measure(measure).label), "values": values})
    return {"rounds": [{"id": r.pk, "name": r.name} for r in rounds], "series": series}
