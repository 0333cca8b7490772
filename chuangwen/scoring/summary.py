"""The contract the dashboard reads: the latest run's headline figures, from stored rows only."""

from __future__ import annotations

from typing import Any

from chuangwen.indicators.models import Method
from chuangwen.scoring.models import ScoreRun, UnitLoss

LEAGUE_SIZE = 20


def method_name(method: str) -> str:
    return str(Method(method).label) if method in Method.values else method


def labelled(rows: list[dict]) -> list[dict]:
    """Rows naming a method, with its name in the reader's language."""
    return [{**row, "label": method_name(row.get("method", ""))} for row in rows or []]


def latest_run(campaign: Any) -> ScoreRun | None:
    return ScoreRun.objects.filter(campaign=campaign).order_by("-computed_at", "-id").first()


def dashboard_summary(campaign: Any, league_size: int | None = LEAGUE_SIZE) -> dict | None:
    """None before the first run; else the totals, by method and aspect, the projection and the
    units that lost most (two queries: the run and its league rows).

    `league_size=None` gives every unit that lost points: the dashboard cuts its own league per
    street, and a street's worst units need not be among the city's worst twenty."""
    run = latest_run(campaign)
    if run is None:
        return None
    summary = run.summary or {}
    projection = run.projection
    league = UnitLoss.objects.filter(run=run).select_related("unit").order_by("rank")
    if league_size is not None:
        league = league[:league_size]
    return {
        "computed_at": run.computed_at,
        "total": float(run.total),
        "max": float(run.max_total),
        "barred": bool(run.barred),
        # 不合格: a method below its pass mark, whatever the others add up to.
        "below_pass_mark": labelled(summary.get("below_pass_mark", [])),
        "units_below_pass_mark": {
            unit: labelled(rows) for unit, rows in (summary.get("units_below_pass_mark") or {}).items()
        },
        # Methods without data yet: the total re-spreads their weight; this reading counts them 0.
        "missing": labelled(summary.get("missing", [])),
        "total_if_zero": summary.get("total_if_zero"),
        "by_method": [
            {
                "method": row["method"],
                "label": str(Method(row["method"]).label)
                if row["method"] in Method.values
                else row["method"],
                "score": float(row["score"]),
                "max": float(row["max"]),
            }
            for row in summary.get("by_method", [])
        ],
        "by_aspect": [
            {
                "code": row["code"],
                "name": row["name"],
                "score": float(row["score"] or 0.0),
                "max": float(row["max"]),
            }
            for row in summary.get("by_aspect", [])
        ],
        "projection": None
        if not projection
        else {
            "mean": float(projection["mean"]),
            "low": float(projection["low"]),
            "high": float(projection["high"]),
            "draws": int(projection["draws"]),
            "if_zero": projection.get("if_zero"),
            "below_pass_mark": projection.get("below_pass_mark"),
        },
        "league": [
            {"unit_id": row.unit_id, "unit": row.unit.display_name, "lost": float(row.lost)} for row in league
        ],
    }
