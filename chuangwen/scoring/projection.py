"""A Monte Carlo projection of the national random draw (numpy, vectorised by chunks of draws).

Each draw imitates the evaluators: for each point type it picks the configured quota of the
inspected points at random (without replacement) and grades every field item on the drawn
points only; every survey group's rate is resampled from its sampling error (a binomial with
the group's n and rate); materials and 部门评价 are known and stay as they are. The city total
of each draw is composed as in the engine; the result is the mean and the 5th–95th
percentiles (a 90 % interval).

Approximations, stated: a point never inspected cannot be drawn (its result is unknown); a
rate of fractional scores (基本满意 = 0.8) is resampled as if it were a plain proportion.

When a method has no data yet, both readings are given: its weight re-spread over the methods
that have data (the headline figures), and the method counted as zero (`if_zero`). With pass
marks, `below_pass_mark` is the share of draws in which a method of the city system falls below
its mark (不合格 whatever the rest adds up to).
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from typing import Any

import numpy as np

from chuangwen.indicators.models import Method, SystemLevel
from chuangwen.scoring.composite import shares_of
from chuangwen.scoring.engine import EPS, Part, Result, Scorer
from chuangwen.scoring.inputs import SurveyGroup
from chuangwen.scoring.results import SPECIAL_LEVELS

CHUNK = 500


def quotas_for(counts: dict[str, int], configured: dict[str, Any]) -> dict[str, int]:
    """The configured quota per type (at most the points there are), else a tenth, at least 1."""
    out = {}
    for code, n in counts.items():
        wanted = configured.get(code) if configured else None
        q = int(wanted) if wanted not in (None, "") else max(1, math.ceil(n / 10))
        if q > 0:
            out[code] = min(q, n)
    return out


def _grade_fraction(rate: np.ndarray, cuts: dict[str, float], pct: dict[str, float]) -> np.ndarray:
    conditions = [rate + EPS >= float(cuts.get(g, 2)) for g in ("A", "B", "C")]
    return np.select(conditions, [pct["A"], pct["B"], pct["C"]], pct["C#"])


def _survey_fraction(group: SurveyGroup, rates: np.ndarray, pct: dict[str, float]) -> np.ndarray:
    bands = group.grader.bands.get(group.measure) or group.grader.bands.get("", [])
    rounded = np.round(rates, 9)
    if not bands:
        return np.where(rounded >= group.threshold, pct["A"], pct["C"])
    conditions, choices = [], []
    for grade, lower in bands:
        conditions.append(np.ones_like(rounded, dtype=bool) if lower is None else rounded > float(lower))
        choices.append(pct.get(grade, 0.0))
    return np.select(conditions, choices, 0.0)


def project(scorer: Scorer, result: Result, draws: int = 10_000, seed: int = 2026) -> dict[str, Any] | None:
    started = time.perf_counter()
    inputs, config = scorer.inputs, scorer.config
    rng = np.random.default_rng(seed)
    system_ids = list(result.systems)
    if not system_ids:
        return None
    sys_index = {sid: i for i, sid in enumerate(system_ids)}
    methods = list(Method.values)
    m_index = {m: i for i, m in enumerate(methods)}
    pct = {sid: {g: scorer.pct(sid, g) for g in ("A", "B", "C", "C#")} for sid in system_ids}
    # Known parts: a constant (earned, max) per system × method.
    const_e = np.zeros((len(system_ids), len(methods)))
    const_m = np.zeros_like(const_e)
    field_parts: list[Part] = []
    survey_parts: list[Part] = []
    for part in result.parts:
        if not part.has_data:
            continue
        if part.method == Method.FIELD:
            field_parts.append(part)
        elif part.method == Method.SURVEY:
            survey_parts.append(part)
        else:
            const_e[sys_index[part.system_id], m_index[part.method]] += part.earned
            const_m[sys_index[part.system_id], m_index[part.method]] += part.points
    # Field: per point type, the (score, max) matrix of its points × the field parts they touch.
    by_type: dict[str, list[int]] = defaultdict(list)
    for point_id, (_name, _unit, code) in inputs.points.items():
        by_type[code].append(point_id)
    quotas = quotas_for({c: len(p) for c, p in by_type.items()}, config.field_quotas or {})
    type_mats = []
    for code, point_ids in by_type.items():
        if code not in quotas:
            continue
        row_of = {p: i for i, p in enumerate(point_ids)}
        cols = [
            j
            for j, part in enumerate(field_parts)
            if any(p in row_of for p in inputs.field.get(part.indicator_id, {}))
        ]
        s = np.zeros((len(point_ids), len(cols)))
        m = np.zeros_like(s)
        for k, j in enumerate(cols):
            for point_id, (ps, pm, _f) in inputs.field[field_parts[j].indicator_id].items():
                if point_id in row_of:
                    s[row_of[point_id], k] = ps
                    m[row_of[point_id], k] = pm
        type_mats.append((quotas[code], len(point_ids), np.array(cols, dtype=int), s, m))
    f_points = np.array([p.points for p in field_parts])
    f_sys = np.zeros((len(field_parts), len(system_ids)))
    for j, part in enumerate(field_parts):
        f_sys[j, sys_index[part.system_id]] = 1.0
    f_pct = [pct[p.system_id] for p in field_parts]
    weights = scorer.weights
    shares = shares_of(result.systems, config)
    share_vec = np.array([shares.get(sid, 0.0) for sid in system_ids])
    w_vec = np.array([weights.get(m, 0.0) for m in methods])
    # Methods each system's items are assessed by, data or not: the "counted as zero" reading.
    expected = np.zeros((len(system_ids), len(methods)), dtype=bool)
    for sid in system_ids:
        for method in result.systems[sid].get("expected") or []:
            expected[sys_index[sid], m_index[method]] = True
    w_expected = (w_vec * expected).sum(axis=1)  # (systems,)
    main = np.array([result.systems[sid]["level"] not in SPECIAL_LEVELS for sid in system_ids])
    marks = {
        m: float(v) for m, v in (config.pass_marks or {}).items() if v not in (None, "") and m in m_index
    }
    bonus, deductions = result.composite["bonus"], result.composite["deductions"]
    totals = np.empty(draws)
    zero_totals = np.empty(draws)
    failed = np.zeros(draws, dtype=bool)
    done = 0
    while done < draws:
        c = min(CHUNK, draws - done)
        e = np.broadcast_to(const_e, (c, *const_e.shape)).copy()
        mx = np.broadcast_to(const_m, (c, *const_m.shape)).copy()
        if field_parts:
            ss = np.zeros((c, len(field_parts)))
            mm = np.zeros_like(ss)
            for quota, n, cols, s, m in type_mats:
                if quota < n:
                    idx = np.argpartition(rng.random((c, n)), quota - 1, axis=1)[:, :quota]
                else:
                    idx = np.broadcast_to(np.arange(n), (c, n))
                ss[:, cols] += s[idx].sum(axis=1)
                mm[:, cols] += m[idx].sum(axis=1)
            seen = mm > 0
            rate = np.divide(ss, mm, out=np.zeros_like(ss), where=seen)
            frac = np.empty_like(rate)
            for j in range(len(field_parts)):
                frac[:, j] = _grade_fraction(rate[:, j], scorer.cuts, f_pct[j])
            earned = frac * f_points * seen
            e[:, :, m_index[Method.FIELD]] += earned @ f_sys
            mx[:, :, m_index[Method.FIELD]] += (seen * f_points) @ f_sys
        raw_sum = np.zeros((c, len(system_ids)))  # the questionnaire's score as answered, per system
        raw_n = np.zeros(len(system_ids))
        for part in survey_parts:
            weighted = np.zeros(c)
            n_all = 0
            for group in inputs.survey.get(part.indicator_id, []):
                n = group.n
                if n <= 0:
                    continue
                p = min(1.0, max(0.0, group.total / n))
                rates = rng.binomial(n, p, size=c) / n
                weighted += n * _survey_fraction(group, rates, pct[part.system_id])
                n_all += n
                raw_sum[:, sys_index[part.system_id]] += n * rates
                raw_n[sys_index[part.system_id]] += n
            if n_all:
                si, mi = sys_index[part.system_id], m_index[Method.SURVEY]
                e[:, si, mi] += part.points * weighted / n_all
                mx[:, si, mi] += part.points
        present = mx > 0
        wp = w_vec * present  # (c, systems, methods)
        wsum = wp.sum(axis=2)
        rates = np.divide(e, mx, out=np.zeros_like(e), where=present)
        sys_rate = np.divide((wp * rates).sum(axis=2), wsum, out=np.zeros_like(wsum), where=wsum > 0)
        totals[done : done + c] = np.maximum(0.0, (sys_rate * share_vec).sum(axis=1) + bonus - deductions)
        zero_rate = np.divide(
            (wp * rates).sum(axis=2), w_expected, out=np.zeros_like(wsum), where=w_expected > 0
        )
        zero_totals[done : done + c] = np.maximum(
            0.0, (zero_rate * share_vec).sum(axis=1) + bonus - deductions
        )
        for method, mark in marks.items():
            mi = m_index[method]
            if method == Method.SURVEY:
                result_pct = np.divide(
                    100 * raw_sum, raw_n, out=np.full_like(raw_sum, np.inf), where=raw_n > 0
                )
            else:
                result_pct = np.where(present[:, :, mi], 100 * rates[:, :, mi], np.inf)
            failed[done : done + c] |= ((np.round(result_pct, 4) < mark) & main).any(axis=1)
        done += c
    minors = [sid for sid in system_ids if result.systems[sid]["level"] == SystemLevel.MINORS]
    return {
        "mean": round(float(totals.mean()), 2),
        "low": round(float(np.percentile(totals, 5)), 2),
        "high": round(float(np.percentile(totals, 95)), 2),
        "draws": int(draws),
        "seed": seed,
        "quotas": quotas,
        "minors_gate_applies": bool(minors),
        "missing": bool(result.composite.get("missing")),
        "if_zero": {
            "mean": round(float(zero_totals.mean()), 2),
            "low": round(float(np.percentile(zero_totals, 5)), 2),
            "high": round(float(np.percentile(zero_totals, 95)), 2),
        },
        "below_pass_mark": round(100 * float(failed.mean()), 1) if marks else None,  # % of draws
        "seconds": round(time.perf_counter() - started, 3),
    }
