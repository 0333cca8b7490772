"""Scoring one checklist item from what the inspector entered. No database access.

Three scorings (ChecklistItem.scoring):
- pass/fail: full points or none. Items judged from a number (a rate, a count) pass or fail
  on the item's threshold; `max_count` lets a few occurrences pass ("≤3 loose cables").
- occurrences → grade: 0/1/2/≥3 occurrences give A/B/C/C#, worth 100/66/33/0% of the points.
  Both the thresholds and the rates are configurable: settings, then the round, then the item.
- deduction: `deduct` points per occurrence (default a third of the item's points), not below 0.

An item with nothing entered is pending (not scored); "not applicable" is left out of both the
score and the maximum. A point's score rate is Σ(score × weight) / Σ(max × weight).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings

DEFAULT_GRADE_THRESHOLDS = (0, 1, 2)  # the most occurrences still graded A, B, C; beyond is C#
DEFAULT_GRADE_RATES = {"A": 1.0, "B": 0.66, "C": 0.33, "C#": 0.0}
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Evaluation:
    result: str  # pass / fail / na / "" (pending)
    grade: str  # A / B / C / C# / ""
    score: Decimal | None
    max_score: Decimal | None
    failed: bool

    @property
    def pending(self) -> bool:
        return self.result == ""


PENDING = Evaluation("", "", None, None, False)


def grade_scale(
    item_params: Mapping[str, Any], round_config: Mapping[str, Any] | None = None
) -> tuple[tuple[int, int, int], dict[str, float]]:
    """(thresholds, rates): settings, overridden by the round, overridden by the item."""
    thresholds = tuple(getattr(settings, "INSPECTION_GRADE_THRESHOLDS", DEFAULT_GRADE_THRESHOLDS))
    rates = dict(getattr(settings, "INSPECTION_GRADE_RATES", DEFAULT_GRADE_RATES))
    for source in (round_config or {}, item_params or {}):
        if source.get("grade_thresholds"):
            thresholds = tuple(int(x) for x in source["grade_thresholds"])
        rates.update({k: float(v) for k, v in (source.get("grade_rates") or {}).items()})
    return thresholds, rates  # type: ignore[return-value]


def grade_for(occurrences: int, thresholds: tuple[int, ...]) -> str:
    for grade, limit in zip(("A", "B", "C"), thresholds, strict=False):
        if occurrences <= limit:
            return grade
    return "C#"


def rate_threshold(params: Mapping[str, Any]) -> float | None:
    """The minimum rate of a rate item: `rate_min`, or any `…rate_min` key (lamp_rate_min…)."""
    if "rate_min" in params:
        return float(params["rate_min"])
    for key, value in params.items():
        if key.endswith("rate_min"):
            return float(value)
    return None


def _q(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def judge_value(check_mode: str, params: Mapping[str, Any], value: Decimal) -> str | None:
    """pass/fail from a number, or None when the item has no threshold to judge it by."""
    if check_mode == "rate_threshold":
        threshold = rate_threshold(params)
        if threshold is None:
            return None
        rate = float(value) / 100.0  # rates are entered as percentages (97.5)
        return "pass" if rate + 1e-9 >= threshold else "fail"
    if check_mode in ("count_min", "count_per_distance"):
        minimum = float(params.get("min_count", 1))
        return "pass" if float(value) >= minimum else "fail"
    return None


def evaluate(
    item: Any,
    result: str = "",
    occurrences: int | None = None,
    value: Decimal | None = None,
    round_config: Mapping[str, Any] | None = None,
) -> Evaluation:
    """Score one item. `item` needs check_mode, params, scoring and points (a ChecklistItem)."""
    params = item.params or {}
    points = Decimal(item.points)
    if result == "na":
        return Evaluation("na", "", Decimal("0"), Decimal("0"), False)
    if value is not None and item.check_mode in ("rate_threshold", "count_min", "count_per_distance"):
        result = judge_value(item.check_mode, params, Decimal(value)) or result
    if item.scoring == "occurrences_abc" or item.scoring == "deduction":
        if occurrences is None:
            if result == "":
                return PENDING
            occurrences = 0 if result == "pass" else 1
        if item.scoring == "deduction":
            deduct = Decimal(str(params.get("deduct", points / 3)))
            score = max(Decimal("0"), points - deduct * occurrences)
            failed = occurrences > 0
            grade = "A" if not failed else ("C#" if score == 0 else "B")
            return Evaluation("fail" if failed else "pass", grade, _q(score), _q(points), failed)
        thresholds, rates = grade_scale(params, round_config)
        grade = grade_for(occurrences, thresholds)
        failed = grade != "A"
        return Evaluation(
            "fail" if failed else "pass", grade, _q(points * Decimal(str(rates[grade]))), _q(points), failed
        )
    # pass/fail
    if occurrences is not None and "max_count" in params:
        result = "pass" if occurrences <= int(params["max_count"]) else "fail"
    elif occurrences is not None and result == "" and item.check_mode == "observe_absence":
        result = "pass" if occurrences == 0 else "fail"
    if result not in ("pass", "fail"):
        return PENDING
    passed = result == "pass"
    return Evaluation(
        result, "A" if passed else "C#", _q(points if passed else Decimal("0")), _q(points), not passed
    )


def score_rate(
    rows: Iterable[tuple[Decimal | None, Decimal | None, Decimal]],
) -> tuple[float, float, float | None]:
    """(score, max, rate %) from (score, max_score, weight) rows; pending rows (None) are skipped."""
    total = maximum = Decimal("0")
    for score, max_score, weight in rows:
        if score is None or max_score is None:
            continue
        total += score * weight
        maximum += max_score * weight
    rate = float(total / maximum * 100) if maximum else None
    return float(total), float(maximum), (round(rate, 2) if rate is not None else None)
