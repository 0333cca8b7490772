"""The telephone check (电话核验) graded from the 12345 hotline's work orders, counted by
problems.rates, on the figure the indicator's bands name."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from chuangwen.problems.rates import Counts
from chuangwen.scoring.models import LossRole, WhatIfKind


def hotline_measure(scorer: Any, indicator_id: int) -> str:
    """The figure the indicator's bands are written on: 按期办结率 (closed on time ÷ due) when
    a band names it, else 办结率 (closed ÷ due)."""
    named = " ".join(f"{b.measure} {b.expression}" for b in scorer.bands.get(indicator_id, ()))
    return "on_time" if "按期" in named else "closed"


def grade_phone(scorer: Any, part: Any, row: Any) -> None:
    """The telephone check (电话核验) reads the 12345 hotline's handling: work orders of the
    territory, graded on the figure the bands name (办结率 or 按期办结率), both over the orders
    due. Units with due orders not closed (on time) carry the loss in proportion to them;
    closing them is the unit's what-if."""
    figures = scorer.inputs.hotline
    measure = hotline_measure(scorer, row.id)
    total = Counts()
    for counts in figures.values():
        total.add(counts)
    if not total.due:
        return
    good = total.on_time if measure == "on_time" else total.closed
    part.grade = scorer.rate_grade(row.id, good / total.due)
    part.earned = scorer.earn(part, part.grade)
    part.inputs.append(
        {
            "kind": "hotline",
            "measure": measure,
            "due": total.due,
            "closed": total.closed,
            "on_time": total.on_time,
            "rate": round(100 * good / total.due, 1),
            "grade": part.grade,
        }
    )
    unit_good = {u: (c.on_time if measure == "on_time" else c.closed) for u, c in figures.items()}
    for unit_id, counts in sorted(figures.items(), key=lambda kv: unit_good[kv[0]] - kv[1].due):
        left = counts.due - unit_good[unit_id]
        if left <= 0:
            continue
        ref = {"kind": "hotline", "open": left}
        part.inputs.append(
            {
                **ref,
                "measure": measure,
                "unit": unit_id,
                "due": counts.due,
                "closed": counts.closed,
                "on_time": counts.on_time,
            }
        )
        part.blame.append((unit_id, LossRole.PROBLEM, float(left), ref))
        fixed = scorer.earn(part, scorer.rate_grade(row.id, (good + left) / total.due))
        part.fixes.append((WhatIfKind.PROBLEM, unit_id, str(_("12345 work orders")), fixed, ref))
