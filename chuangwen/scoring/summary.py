"""The contract the dashboard reads: the latest run's headline figures, from stored rows only."""

from __future__ import annotations

from typing import Any

from chuangwen.indicators.models import Method
from chuangwen.scoring.models import ScoreRun, UnitLoss

LEAGUE_SIZE = 20


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
        },
        "league": [
            {"unit_id": row.unit_id, "unit": row.unit.display_name, "lost": float(row.lost)} for row in league
        ],
    }
