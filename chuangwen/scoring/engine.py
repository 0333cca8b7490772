"""How a score is reached (pure Python over the gathered inputs; see docs/scoring.md).

1. An indicator's points are split between its methods by the campaign's method weights
   (a materials + field item with weights 25/40 gives 25/65 and 40/65 of its points).
2. Each method part is graded from its inputs and earns EvaluationSystem.score_for(grade, part):
   materials/photos by coverage (periods satisfied / periods due over requirement × unit),
   field by the score rate of the observations at the points, survey by each group's rate
   graded with the questionnaire's bands (parts average the group grades weighted by answers),
   部门评价 by the value against the indicator's grade bands. Rates become grades by the config's
   cuts (A ≥ 90 %, B ≥ 75 %, C ≥ 50 %, else C#, by default).
3. A part without inputs has no data: it is left out of the indicator's earned and maximum, and
   an indicator with no part that has data shows "no data".
4. Per system, each method's rate is Σ earned / Σ points of its parts; the system's rate is the
   weight-averaged method rates (over methods with data). The city total is 100 split into
   shares: 未成年人 and 文明村镇 systems take their configured shares, the city system the rest
   (an absent system's share goes to the city system); then bonus (capped), less deductions.
   A minors' system score below the gate, or a disqualifying negative event, bars the title.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from chuangwen.indicators.models import GradeBand, Method
from chuangwen.scoring.composite import compose, method_mix
from chuangwen.scoring.hotline import grade_phone
from chuangwen.scoring.inputs import Inputs, SurveyGroup, task_owner_units
from chuangwen.scoring.models import BonusAward, LossRole, NegativeEvent, ScoringConfig, WhatIfKind
from chuangwen.scoring.results import method_results, unit_results
from chuangwen.surveys.models import Measure

GRADES = ("A", "B", "C", "C#")
EPS = 1e-9
PHOTO_KINDS = ("photos", "video")


def measure_label(measure: str) -> str:
    """The measure's name (满意率…) in the language the run is computed in."""
    return str(Measure(measure).label) if measure in Measure.values else measure or "—"


def grade_from_rate(rate: float, cuts: dict[str, float]) -> str:
    for grade in ("A", "B", "C"):
        if rate + EPS >= float(cuts.get(grade, 2)):
            return grade
    return "C#"


@dataclass
class Part:
    indicator_id: int
    system_id: int
    method: str
    points: float
    grade: str = ""
    earned: float | None = None
    inputs: list[dict[str, Any]] = field(default_factory=list)
    # (unit, role, weight, ref): the part's lost points are split by weight
    blame: list[tuple[int, str, float, dict[str, Any]]] = field(default_factory=list)
    # (kind, unit, label, earned if fixed, ref)
    fixes: list[tuple[str, int | None, str, float, dict[str, Any]]] = field(default_factory=list)

    @property
    def has_data(self) -> bool:
        return self.earned is not None

    @property
    def lost(self) -> float:
        return 0.0 if self.earned is None else max(0.0, self.points - self.earned)


@dataclass
class Result:
    parts: list[Part]
    indicators: dict[int, dict[str, Any]]
    systems: dict[int, dict[str, Any]]
    composite: dict[str, Any]
    factors: dict[tuple[int, str], float]
    units: dict[int, dict[str, float]] = field(default_factory=dict)  # unit -> method -> result


class Scorer:
    """Turns gathered inputs and a config into parts, indicator rows and the composite."""

    def __init__(self, inputs: Inputs, config: ScoringConfig) -> None:
        self.inputs = inputs
        self.config = config
        self.weights = config.weights_for(inputs.campaign.year)
        self.cuts = {k: float(v) for k, v in (config.grade_cuts or {}).items()}
        self.bands: dict[int, list[GradeBand]] = defaultdict(list)
        # Graded by bands: 部门评价 values, and the hotline's 办结率 or 按期办结率 (in percent) of the
        # telephone check.
        banded = (Method.DEPARTMENT, Method.PHONE)
        ids = [pk for pk, row in inputs.indicators.items() if any(m in row.methods for m in banded)]
        for band in GradeBand.objects.filter(indicator_id__in=ids):
            self.bands[band.indicator_id].append(band)

    # -- grading --------------------------------------------------------------------------
    def pct(self, system_id: int, grade: str) -> float:
        return self.inputs.systems[system_id].grade_pct(grade) / 100.0

    def earn(self, part: Part, grade: str) -> float:
        return float(self.inputs.systems[part.system_id].score_for(grade, part.points))

    def coverage_earned(
        self, part: Part, requirements: list[dict[str, Any]], fix: tuple | None = None
    ) -> float | None:
        due = got = 0
        for r in requirements:
            if r["due"] <= 0:
                continue
            for unit_id, (satisfied, _i, _b) in r["cells"].items():
                due += r["due"]
                got += r["due"] if fix == (r["id"], unit_id) else min(satisfied, r["due"])
        if due == 0:
            return None
        return self.earn(part, grade_from_rate(got / due, self.cuts))

    def field_rate(self, per_point: dict[int, list[float]], extra: float = 0.0) -> float | None:
        s = sum(v[0] for v in per_point.values()) + extra
        m = sum(v[1] for v in per_point.values())
        return None if m <= 0 else s / m

    def survey_fraction(
        self, part: Part, groups: list[SurveyGroup], lift: tuple | None = None
    ) -> float | None:
        weighted = n_all = 0.0
        for index, group in enumerate(groups):
            n, total = group.n, group.total
            if lift and lift[0] == index:
                area_n, area_total = group.areas[lift[1]]
                total += max(0.0, group.threshold * area_n - area_total)
            if n <= 0:
                continue
            grade = group.grade(total / n)
            weighted += n * self.pct(part.system_id, grade)
            n_all += n
        return None if n_all == 0 else weighted / n_all

    def department_grade(self, indicator_id: int) -> tuple[str, str]:
        evaluation = self.inputs.department.get(indicator_id)
        if evaluation is None:
            return "", ""
        if evaluation.value is not None and self.bands.get(indicator_id):
            band = self.matching_band(indicator_id, evaluation.value)
            return (
                (band.grade, f"{evaluation.value} {band.expression}")
                if band
                else ("C#", str(evaluation.value))
            )
        return evaluation.grade or "", str(evaluation.value or "")

    def matching_band(self, indicator_id: int, value: Any) -> GradeBand | None:
        """The best grade's band that the value meets (A before B before C), if any."""
        for grade in GRADES:
            band = next((b for b in self.bands.get(indicator_id, ()) if b.grade == grade), None)
            if band and band.matches(value):
                return band
        return None

    # -- parts ----------------------------------------------------------------------------
    def parts_of(self, row: Any) -> list[Part]:
        methods = [m for m in row.methods if m in Method.values] or []
        total_w = sum(self.weights.get(m, 0) for m in methods)
        points = row.points if row.points is not None else 1.0
        parts = []
        for method in methods:
            share = self.weights.get(method, 0) / total_w if total_w else 1 / len(methods)
            parts.append(Part(row.id, row.system_id, method, round(points * share, 4)))
        for part in parts:
            getattr(self, f"_{part.method}", self._none)(part, row)
        return parts

    def _none(self, part: Part, row: Any) -> None:
        """A method with no input source in the product: no data."""

    def rate_grade(self, indicator_id: int, rate: float) -> str:
        """A rate (0..1) graded by the indicator's bands, written in percent ("办结率 >99%"),
        else by the campaign's grade cuts."""
        if not self.bands.get(indicator_id):
            return grade_from_rate(rate, self.cuts)
        band = self.matching_band(indicator_id, round(rate * 100, 4))
        return band.grade if band else "C#"

    def _phone(self, part: Part, row: Any) -> None:
        """The telephone check (电话核验): see scoring.hotline."""
        grade_phone(self, part, row)

    def _materials(self, part: Part, row: Any) -> None:
        wanted = [
            r
            for r in self.inputs.requirements.get(row.id, [])
            if (r["kind"] in PHOTO_KINDS) == (part.method == Method.PHOTOS)
        ]
        requirements = wanted or self.inputs.requirements.get(row.id, [])
        part.earned = self.coverage_earned(part, requirements)
        if part.earned is None:
            return
        for r in requirements:
            for unit_id, (satisfied, in_review, sent_back) in r["cells"].items():
                if r["due"] <= 0:
                    continue
                missing = r["due"] - min(satisfied, r["due"])
                ref = {
                    "kind": "material",
                    "requirement": r["id"],
                    "title": r["title"],
                    "unit": unit_id,
                    "due": r["due"],
                    "satisfied": satisfied,
                    "in_review": in_review,
                    "sent_back": sent_back,
                }
                part.inputs.append({**ref, "missing": missing})
                if missing:
                    part.blame.append((unit_id, LossRole.MATERIAL, float(missing), ref))
                    fixed = self.coverage_earned(part, requirements, fix=(r["id"], unit_id))
                    label = f"{r['title']}"
                    part.fixes.append((WhatIfKind.MATERIAL, unit_id, label, fixed or 0.0, ref))
        part.grade = self._grade_of(part)

    _photos = _materials

    def _department(self, part: Part, row: Any) -> None:
        grade, shown = self.department_grade(row.id)
        if not grade:
            return
        evaluation = self.inputs.department[row.id]
        part.grade, part.earned = grade, self.earn(part, grade)
        part.inputs.append(
            {
                "kind": "department",
                "evaluation": evaluation.pk,
                "value": shown,
                "grade": grade,
                "note": evaluation.note[:200],
            }
        )
        for unit_id in task_owner_units(self.inputs.owners.get(row.id, [])):
            part.blame.append(
                (unit_id, LossRole.TASK, 1.0, {"kind": "department", "evaluation": evaluation.pk})
            )

    def _field(self, part: Part, row: Any) -> None:
        per_point = self.inputs.field.get(row.id) or {}
        rate = self.field_rate(per_point)
        if rate is None:
            return
        part.grade = grade_from_rate(rate, self.cuts)
        part.earned = self.earn(part, part.grade)
        for point_id, (s, m, failed) in sorted(per_point.items(), key=lambda kv: kv[1][0] - kv[1][1]):
            name, unit_id, _code = self.inputs.points.get(point_id, ("?", None, ""))
            if len(part.inputs) < 40:
                part.inputs.append(
                    {
                        "kind": "point",
                        "point": point_id,
                        "name": name,
                        "unit": unit_id,
                        "score": round(s, 2),
                        "max": round(m, 2),
                        "failed": failed,
                    }
                )
        failed = self.inputs.failed.get(row.id, [])
        s_all = sum(v[0] for v in per_point.values())
        m_all = sum(v[1] for v in per_point.values())
        for obs in failed:
            name, point_unit, _code = self.inputs.points.get(obs["point"], ("?", None, ""))
            owner = obs["problem_unit"] if obs["problem_open"] and obs["problem_unit"] else point_unit
            role = LossRole.PROBLEM if owner != point_unit or obs["problem_open"] else LossRole.POINT
            ref = {
                "kind": "observation",
                "observation": obs["id"],
                "round_point": obs["round_point"],
                "point": obs["point"],
                "point_name": name,
                "item": obs["item"],
                "problem": obs["problem"],
            }
            part.inputs.append({**ref, "unit": owner, "item_lost": round(obs["lost"], 2)})
            if owner:
                part.blame.append((owner, role, obs["lost"], ref))
            fixed = self.earn(part, grade_from_rate((s_all + obs["lost"]) / m_all, self.cuts))
            kind = WhatIfKind.PROBLEM if obs["problem_open"] else WhatIfKind.OBSERVATION
            part.fixes.append((kind, owner, f"{name} · {obs['item']}", fixed, ref))
        if not failed:  # partial scores without a failed item: blame by each point's shortfall
            for point_id, (s, m, _f) in per_point.items():
                unit_id = self.inputs.points.get(point_id, ("", None, ""))[1]
                if unit_id and m > s:
                    part.blame.append((unit_id, LossRole.POINT, m - s, {"kind": "point", "point": point_id}))

    def _survey(self, part: Part, row: Any) -> None:
        groups = self.inputs.survey.get(row.id, [])
        fraction = self.survey_fraction(part, groups)
        if fraction is None:
            return
        part.earned = round(part.points * fraction, 2)
        part.grade = self._grade_of(part)
        for index, group in enumerate(groups):
            rate = group.total / group.n if group.n else None
            part.inputs.append(
                {
                    "kind": "survey",
                    "questionnaire": group.questionnaire_id,
                    "measure": group.measure,
                    "n": group.n,
                    "rate": None if rate is None else round(rate, 4),
                    "threshold": group.threshold,
                    "grade": group.grade(rate),
                }
            )
            for unit_id, (n, total) in group.areas.items():
                if n and total / n + EPS < group.threshold:
                    ref = {
                        "kind": "survey_area",
                        "questionnaire": group.questionnaire_id,
                        "measure": group.measure,
                        "unit": unit_id,
                        "n": int(n),
                        "rate": round(total / n, 4),
                        "threshold": group.threshold,
                    }
                    part.inputs.append(ref)
                    part.blame.append((unit_id, LossRole.AREA, n * (group.threshold - total / n), ref))
                    fixed = round(
                        part.points * (self.survey_fraction(part, groups, lift=(index, unit_id)) or 0), 2
                    )
                    part.fixes.append(
                        (WhatIfKind.SURVEY_AREA, unit_id, measure_label(group.measure), fixed, ref)
                    )

    def _grade_of(self, part: Part) -> str:
        fraction = (part.earned or 0) / part.points if part.points else 1.0
        for grade in GRADES:
            if fraction + 0.005 >= self.pct(part.system_id, grade):
                return grade
        return "C#"

    # -- the whole ------------------------------------------------------------------------
    def run(self) -> Result:
        parts: list[Part] = []
        rows = self.inputs.indicators
        parents = {row.parent_id for row in rows.values() if row.parent_id}
        # The scored items are the leaves below Ⅰ (Ⅲ standards; Ⅱ where a system stops at Ⅱ).
        for row in rows.values():
            if row.id not in parents and row.level >= 2:
                parts.extend(self.parts_of(row))
        indicators = self._indicators(parts)
        systems = self._systems(parts)
        composite = self._composite(systems)
        result = Result(parts, indicators, systems, composite, self._factors(systems, composite))
        result.units = unit_results(self.inputs, parts)
        return result

    def _indicators(self, parts: list[Part]) -> dict[int, dict[str, Any]]:
        by_indicator: dict[int, list[Part]] = defaultdict(list)
        for part in parts:
            by_indicator[part.indicator_id].append(part)
        out: dict[int, dict[str, Any]] = {}
        for indicator_id, own in by_indicator.items():
            scored = [p for p in own if p.has_data]
            earned = round(sum(p.earned for p in scored), 2) if scored else None
            max_points = round(sum(p.points for p in scored), 2)
            grade = ""
            if scored and max_points:
                system_id = own[0].system_id
                fraction = earned / max_points
                grade = next((g for g in GRADES if fraction + 0.005 >= self.pct(system_id, g)), "C#")
            out[indicator_id] = {
                "grade": grade,
                "earned": earned,
                "max": max_points,
                "full": round(sum(p.points for p in own), 2),
                "no_data": not scored,
                "explain": {"parts": [self._explain(p) for p in own]},
            }
        # Roll up to Ⅱ and Ⅰ (sums of the children that have data).
        rows = self.inputs.indicators
        for level in (2, 1):
            for row in rows.values():
                if row.level != level or row.id in out:
                    continue
                kids = [out[c.id] for c in rows.values() if c.parent_id == row.id and c.id in out]
                with_data = [k for k in kids if not k["no_data"]]
                out[row.id] = {
                    "grade": "",
                    "earned": round(sum(k["earned"] for k in with_data), 2) if with_data else None,
                    "max": round(sum(k["max"] for k in with_data), 2),
                    "full": round(sum(k["full"] for k in kids), 2),
                    "no_data": not with_data,
                    "explain": {},
                }
        return out

    def _explain(self, part: Part) -> dict[str, Any]:
        total_blame = sum(w for _u, _r, w, _ref in part.blame) or 1.0
        inputs = part.inputs
        lost = part.lost
        costs = [
            {**ref, "unit": unit, "role": role, "lost": round(lost * w / total_blame, 3)}
            for unit, role, w, ref in sorted(part.blame, key=lambda b: -b[2])[:50]
        ]
        return {
            "method": part.method,
            "points": part.points,
            "grade": part.grade,
            "earned": part.earned,
            "no_data": not part.has_data,
            "inputs": inputs[:80],
            "costs": costs if lost > 0 else [],
        }

    def _systems(self, parts: list[Part]) -> dict[int, dict[str, Any]]:
        out: dict[int, dict[str, Any]] = {}
        for system_id, system in self.inputs.systems.items():
            sums: dict[str, list[float]] = {}
            expected: set[str] = set()
            for part in parts:
                if part.system_id != system_id:
                    continue
                expected.add(part.method)
                if part.has_data:
                    cell = sums.setdefault(part.method, [0.0, 0.0])
                    cell[0] += part.earned
                    cell[1] += part.points
            rate = method_mix(sums, self.weights)
            own = [p for p in parts if p.system_id == system_id and p.has_data]
            out[system_id] = {
                "level": system.level,
                "name": str(system),
                "methods": sums,
                "rate": rate,
                # Methods the system's items are assessed by, with or without data yet.
                "expected": sorted(expected),
                "results": method_results(self.inputs, own, sums),
            }
        return out

    def _composite(self, systems: dict[int, dict[str, Any]]) -> dict[str, Any]:
        config = self.config
        awards = list(BonusAward.objects.filter(campaign=self.inputs.campaign))
        events = list(
            NegativeEvent.objects.filter(campaign=self.inputs.campaign, withdrawn=False).select_related(
                "item"
            )
        )
        return compose(systems, config, awards, events, self.weights)

    def _factors(
        self, systems: dict[int, dict[str, Any]], composite: dict[str, Any]
    ) -> dict[tuple[int, str], float]:
        """d(total) / d(earned) of each system × method: how a point on an item moves the city
        total while the maxima stay (the what-if gains)."""
        out = {}
        for system_id, info in systems.items():
            share = composite["shares"].get(system_id, 0.0)
            present = {m: v for m, v in info["methods"].items() if v[1] > 0}
            total_w = sum(self.weights.get(m, 0) for m in present)
            for method, (_e, mx) in present.items():
                w = self.weights.get(method, 0) / total_w if total_w else 1 / len(present)
                out[(system_id, method)] = share * w / mx if mx else 0.0
        return out
