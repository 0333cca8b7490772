"""The city total from the systems' rates: shares, the minors' gate, the methods' pass marks,
bonus and deductions — and the total read a second way when a method has no data yet."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from chuangwen.indicators.models import Sanction, SystemLevel
from chuangwen.scoring.models import BonusAward, NegativeEvent, ScoringConfig
from chuangwen.scoring.results import below


def method_mix(sums: dict[str, list[float]], weights: dict[str, float], xp: Any = None) -> Any:
    """The weight-averaged rate of the methods that have data (None when none has)."""
    present = {m: v for m, v in sums.items() if v[1] > 0}
    if not present:
        return None
    total_w = sum(weights.get(m, 0) for m in present)
    rate = 0.0
    for method, (earned, mx) in present.items():
        w = weights.get(method, 0) / total_w if total_w else 1 / len(present)
        rate = rate + w * (earned / mx)
    return rate


def shares_of(systems: dict[int, dict[str, Any]], config: ScoringConfig) -> dict[int, float]:
    """Each system's share of 100: minors and villages as configured, the city system(s) the
    rest; a share whose system is absent from the campaign goes to the city system."""
    kinds = {sid: info["level"] for sid, info in systems.items()}
    wanted = {
        SystemLevel.MINORS: float(config.minors_share),
        SystemLevel.VILLAGES: float(config.villages_share),
    }
    main = [sid for sid, level in kinds.items() if level not in wanted]
    shares: dict[int, float] = {}
    rest = 100.0
    for level, share in wanted.items():
        holders = [sid for sid, k in kinds.items() if k == level]
        if holders and main:
            for sid in holders:
                shares[sid] = share / len(holders)
            rest -= share
        elif holders:  # only special systems: they share everything
            for sid in holders:
                shares[sid] = 100.0 / len(kinds)
    for sid in main:
        shares[sid] = rest / len(main)
    if not main:
        rest = 0
    return shares


def zero_filled_rate(info: dict[str, Any], weights: dict[str, float]) -> float:
    """The system's rate with every expected method that has no data counted as zero (instead
    of its weight being re-spread over the methods that have data)."""
    expected = set(info.get("expected") or []) | {m for m, v in info["methods"].items() if v[1] > 0}
    total_w = sum(weights.get(m, 0) for m in expected)
    if not expected:
        return 0.0
    rate = 0.0
    for method, (earned, mx) in info["methods"].items():
        if mx > 0:
            w = weights.get(method, 0) / total_w if total_w else 1 / len(expected)
            rate += w * earned / mx
    return rate


def compose(
    systems: dict[int, dict[str, Any]],
    config: ScoringConfig,
    awards: list[BonusAward],
    events: list[NegativeEvent],
    weights: dict[str, float] | None = None,
) -> dict[str, Any]:
    weights = weights if weights is not None else config.weights_for(None)
    shares = shares_of(systems, config)
    total = max_total = zero_total = 0.0
    barred_reasons: list[str] = []
    minors_score = None
    failed: list[dict[str, Any]] = []
    missing: list[dict[str, Any]] = []
    for system_id, info in systems.items():
        with_data = {m for m, v in info["methods"].items() if v[1] > 0}
        for method in info.get("expected") or []:
            if method not in with_data:
                missing.append({"system": system_id, "method": method})
        zero_total += shares.get(system_id, 0.0) * (
            zero_filled_rate(info, weights) if info["rate"] is not None else 0.0
        )
        if info["rate"] is None:
            continue
        total += shares.get(system_id, 0.0) * info["rate"]
        max_total += shares.get(system_id, 0.0)
        if info["level"] not in (SystemLevel.MINORS, SystemLevel.VILLAGES):
            for row in below(info.get("results") or {}, config.pass_marks):
                failed.append({"system": system_id, **row})
        if info["level"] == SystemLevel.MINORS:
            minors_score = round(info["rate"] * 100, 2)
            if minors_score < float(config.minors_gate):
                barred_reasons.append("minors")
    if failed:
        barred_reasons.append("pass_mark")
    bonus = bonus_points(config, awards)
    deductions = 0.0
    for event in events:
        if event.item.sanction == Sanction.DISQUALIFY:
            barred_reasons.append("negative")
        else:
            deductions += float(event.item.points or 0)
    return {
        "shares": shares,
        "base": round(total, 2),
        "bonus": bonus,
        "deductions": round(deductions, 2),
        "total": round(max(0.0, total + bonus - deductions), 2),
        "max": round(max_total, 2),
        # Methods with no data: the total above re-spreads their weight; this one counts them 0.
        "missing": missing,
        "total_if_zero": round(max(0.0, zero_total + bonus - deductions), 2),
        "below_pass_mark": failed,
        "minors_score": minors_score,
        "barred": bool(barred_reasons),
        "barred_reasons": sorted(set(barred_reasons)),
    }


def bonus_points(config: ScoringConfig, awards: list[BonusAward]) -> float:
    by_rule: dict[str, float] = defaultdict(float)
    for award in awards:
        by_rule[award.rule_code] += float(award.points)
    total = 0.0
    for code, points in by_rule.items():
        rule = config.bonus_rule(code) or {}
        cap = rule.get("cap")
        total += min(points, float(cap)) if cap not in (None, "") else points
    return round(min(total, float(config.bonus_cap)), 2)
