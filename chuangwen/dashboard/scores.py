"""The scoring app's figures, read through its published contract:
`chuangwen.scoring.summary.dashboard_summary(campaign, league_size) -> dict | None` (None before
the first run). Until that app is installed the dashboard shows scores as "not available"."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from importlib import import_module
from typing import Any

from django.apps import apps

from chuangwen.campaigns.models import Campaign
from chuangwen.dashboard.territory import WHOLE, Territory

MODULE = "chuangwen.scoring.summary"
LEAGUE_TOP = 20


def _summary_function() -> Any:
    if not apps.is_installed("chuangwen.scoring"):
        return None
    try:
        return import_module(MODULE).dashboard_summary
    except ModuleNotFoundError as exc:
        # Only "the scoring app is not there": a broken import inside it must still fail loudly.
        if exc.name in ("chuangwen.scoring", MODULE):
            return None
        raise


def plain(value: Any) -> Any:
    """JSON-ready: datetimes as ISO text, Decimals as floats, tuples as lists."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def summary(campaign: Campaign, league: bool = True) -> tuple[bool, dict[str, Any] | None]:
    """(scoring installed?, the latest summary or None before the first run). With `league`,
    every unit that lost points (each street's league is cut from all of them), else none."""
    function = _summary_function()
    if function is None:
        return False, None
    found = function(campaign, league_size=None if league else 0)
    return True, plain(found) if found is not None else None


def computed_at(campaign: Campaign) -> str:
    """When the latest scoring run finished ("" when there is none): the watcher's cue."""
    _installed, found = summary(campaign, league=False)
    return str(found.get("computed_at") or "") if found else ""


def by_slice(
    territory: Territory, installed: bool, found: dict[str, Any] | None
) -> dict[int | None, dict[str, Any]]:
    """The whole summary for the whole campaign; a street sees its own units' lost points only
    (the city's total is the leaders' figure)."""
    result: dict[int | None, dict[str, Any]] = {}
    for key in territory.slice_keys():
        if found is None:
            result[key] = {"installed": installed, "computed": False}
            continue
        league = [row for row in found.get("league") or [] if key in territory.slices_of(row.get("unit_id"))]
        league.sort(key=lambda r: -(r.get("lost") or 0))
        if key is WHOLE:
            result[key] = {"installed": True, "computed": True, **found, "league": league[:LEAGUE_TOP]}
        else:
            result[key] = {
                "installed": True,
                "computed": True,
                "computed_at": found.get("computed_at"),
                "league": league[:LEAGUE_TOP],
                "lost": round(sum(r.get("lost") or 0 for r in league), 2),
                # The street's own units whose questionnaire is below its pass mark (不合格).
                "units_below_pass_mark": [
                    {"unit_id": int(unit), "unit": territory.name(int(unit)), "rows": rows}
                    for unit, rows in (found.get("units_below_pass_mark") or {}).items()
                    if key in territory.slices_of(int(unit))
                ],
            }
    return result
