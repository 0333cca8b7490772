"""The methods' results out of 100, the figures pass marks are read against (问卷调查 "低于80分的
直接不合格"): per system, and per unit for the questionnaire's areas."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from chuangwen.indicators.models import Method, SystemLevel

SPECIAL_LEVELS = (SystemLevel.MINORS, SystemLevel.VILLAGES)  # systems with their own share and gate


def method_results(inputs: Any, parts: list[Any], sums: dict[str, list[float]]) -> dict[str, float]:
    """Each method's result out of 100 in one system: the questionnaire's score as residents
    gave it (answer-weighted, before grading into bands: 80.0 and 79.99 differ), else the
    method's earned ÷ maximum. `parts` are the system's parts that have data."""
    out = {m: round(100 * e / mx, 4) for m, (e, mx) in sums.items() if mx > 0}
    n = total = 0.0
    for part in parts:
        if part.method == Method.SURVEY:
            for group in inputs.survey.get(part.indicator_id, []):
                n, total = n + group.n, total + group.total
    if n > 0:
        out[Method.SURVEY] = round(100 * total / n, 4)
    return out


def unit_results(inputs: Any, parts: list[Any]) -> dict[int, dict[str, float]]:
    """Per unit, its questionnaire score out of 100 (its survey areas, answer-weighted) in the
    city system(s): a unit's own figure against the questionnaire's pass mark."""
    sums: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for part in parts:
        if part.method != Method.SURVEY or not part.has_data:
            continue
        if inputs.systems[part.system_id].level in SPECIAL_LEVELS:
            continue
        for group in inputs.survey.get(part.indicator_id, []):
            for unit_id, (n, total) in group.areas.items():
                sums[unit_id][0] += total
                sums[unit_id][1] += n
    return {u: {Method.SURVEY: round(100 * t / n, 4)} for u, (t, n) in sums.items() if n > 0}


def below(results: dict[str, float], marks: dict[str, Any]) -> list[dict[str, Any]]:
    """The methods whose result is below their pass mark (80.0 meets 80; 79.99 does not)."""
    out = []
    for method, mark in sorted((marks or {}).items()):
        if mark in (None, "") or method not in results:
            continue
        if round(results[method], 4) < float(mark):
            out.append({"method": method, "result": round(results[method], 2), "pass_mark": float(mark)})
    return out
