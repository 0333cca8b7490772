"""Score pages: overview, indicator tree, explain, league and unit drill-down, what-if.

Every page reads the latest stored run; nothing is recomputed on a page view. Units see the
city's figures but only their own units' lost points and inputs (the scoping helper decides).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from chuangwen.accounts.permissions import role_required
from chuangwen.accounts.scope import get_scoped_or_404, scope_for, scoped
from chuangwen.campaigns.choice import chosen_campaign
from chuangwen.campaigns.models import Campaign
from chuangwen.indicators.models import Indicator
from chuangwen.org.models import Unit
from chuangwen.problems.models import Source
from chuangwen.scoring.models import (
    IndicatorScore,
    LossRole,
    LostPoint,
    ScoreRun,
    UnitLoss,
    WhatIf,
    WhatIfKind,
)
from chuangwen.scoring.permissions import MANAGE_SCORING, READ_SCORES
from chuangwen.scoring.summary import labelled, latest_run, method_name


def current_campaign(request: HttpRequest) -> Campaign | None:
    return chosen_campaign(request.user, request.GET.get("campaign"))


def _run(request: HttpRequest) -> tuple[Campaign | None, ScoreRun | None]:
    campaign = current_campaign(request)
    return campaign, (latest_run(campaign) if campaign else None)


def method_label(method: str) -> str:
    return method_name(method)


@role_required(*READ_SCORES)
def overview(request: HttpRequest) -> HttpResponse:
    campaign, run = _run(request)
    context: dict[str, Any] = {"campaign": campaign, "run": run}
    if run:
        summary = run.summary
        context.update(
            by_method=[{**m, "label": method_label(m["method"])} for m in summary.get("by_method", [])],
            aspects=summary.get("by_aspect", []),
            systems=summary.get("systems", []),
            summary=summary,
            below_pass_mark=labelled(summary.get("below_pass_mark", [])),
            missing=labelled(summary.get("missing", [])),
            league=scoped(UnitLoss.objects.filter(run=run), request.user).select_related("unit")[:10],
            what_ifs=scoped(WhatIf.objects.filter(run=run), request.user).select_related("indicator", "unit")[
                :10
            ],
            everything=scope_for(request.user).everything,
        )
    context["can_manage"] = request.user.has_role(*MANAGE_SCORING)
    return render(request, "scoring/overview.html", context)


@role_required(*READ_SCORES)
def tree(request: HttpRequest) -> HttpResponse:
    campaign, run = _run(request)
    rows = []
    if run:
        scores = {
            s.indicator_id: s
            for s in IndicatorScore.objects.filter(run=run).only(
                "indicator_id", "grade", "earned", "max_points", "full_points", "no_data", "level"
            )
        }
        indicators = Indicator.objects.filter(system__campaign=campaign).select_related("system")
        indicators = indicators.order_by("system_id", "position", "id").only(
            "id", "code", "name", "level", "methods", "system__name", "system__edition", "points"
        )
        rows = [(i, scores.get(i.pk)) for i in indicators]
    return render(request, "scoring/tree.html", {"campaign": campaign, "run": run, "rows": rows})


def _link(kind: str, entry: dict[str, Any]) -> str:
    if kind == "hotline":  # the 12345 orders behind the figure: a unit's overdue ones, or all
        query: dict[str, Any] = {"source": Source.HOTLINE_12345}
        if entry.get("unit"):
            query.update(unit=entry["unit"], status="overdue")
        return f"{reverse('problems:list')}?{urlencode(query)}"
    targets = {
        "material": ("materials:requirement", "requirement"),
        "observation": ("inspections:round_point", "round_point"),
        "point": ("inspections:point_history", "point"),
        "survey": ("surveys:questionnaire", "questionnaire"),
        "survey_area": ("surveys:questionnaire", "questionnaire"),
        "department": ("scoring:department_edit", "indicator"),
    }
    name, key = targets.get(kind, ("", ""))
    if not name or not entry.get(key):
        return ""
    try:
        return reverse(name, kwargs={"pk": entry[key]})
    except NoReverseMatch:
        return ""


def visible_unit_ids(user: Any, unit_ids: set[int]) -> set[int] | None:
    """None when the user sees every unit; else the subset of these units in reach."""
    if scope_for(user).everything:
        return None
    return set(scoped(Unit.objects.filter(pk__in=unit_ids), user).values_list("pk", flat=True))


@role_required(*READ_SCORES)
def explain(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = get_scoped_or_404(Indicator.objects.select_related("system", "parent"), request.user, pk=pk)
    campaign = indicator.system.campaign
    run = latest_run(campaign) if campaign else None
    score = IndicatorScore.objects.filter(run=run, indicator=indicator).first() if run else None
    parts = (score.explain or {}).get("parts", []) if score else []
    unit_ids = {e["unit"] for p in parts for e in p.get("inputs", []) + p.get("costs", []) if e.get("unit")}
    names = dict(Unit.objects.filter(pk__in=unit_ids).values_list("pk", "name"))
    allowed = visible_unit_ids(request.user, unit_ids)
    hidden = 0
    shown_parts = []
    for part in parts:
        entries = []
        for group in ("inputs", "costs"):
            kept = []
            for entry in part.get(group, []):
                if allowed is not None and entry.get("unit") and entry["unit"] not in allowed:
                    hidden += 1
                    continue
                if entry.get("kind") == "department":
                    entry = {**entry, "indicator": indicator.pk}
                if entry.get("role") in LossRole.values:
                    entry = {**entry, "role_label": str(LossRole(entry["role"]).label)}
                kept.append(
                    {
                        **entry,
                        "unit_name": names.get(entry.get("unit"), ""),
                        "url": _link(entry.get("kind", ""), entry),
                    }
                )
            entries.append(kept)
        shown_parts.append(
            {**part, "label": method_label(part["method"]), "inputs": entries[0], "costs": entries[1]}
        )
    children = []
    if score and score.level < 3:
        kids = {
            s.indicator_id: s for s in IndicatorScore.objects.filter(run=run, indicator__parent=indicator)
        }
        children = [(k, kids.get(k.pk)) for k in indicator.children.order_by("position", "id")]
    return render(
        request,
        "scoring/explain.html",
        {
            "indicator": indicator,
            "run": run,
            "score": score,
            "parts": shown_parts,
            "hidden": hidden,
            "children": children,
            "roles": dict(LossRole.choices),
        },
    )


@role_required(*READ_SCORES)
def league(request: HttpRequest) -> HttpResponse:
    campaign, run = _run(request)
    rows = []
    if run:
        rows = (
            scoped(UnitLoss.objects.filter(run=run), request.user)
            .select_related("unit")
            .order_by("rank")[:200]
        )
    return render(request, "scoring/league.html", {"campaign": campaign, "run": run, "rows": rows})


@role_required(*READ_SCORES)
def unit_losses(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_scoped_or_404(Unit.objects.all(), request.user, pk=pk)
    campaign, run = _run(request)
    rows = []
    total = None
    if run:
        rows = list(
            LostPoint.objects.filter(run=run, unit=unit).select_related("indicator").order_by("-lost")[:500]
        )
        total = UnitLoss.objects.filter(run=run, unit=unit).first()
    for row in rows:
        row.method_label = method_label(row.method) if row.method else ""
        row.links = [{**ref, "url": _link(ref.get("kind", ""), ref)} for ref in row.refs or []]
    below = (
        labelled(((run.summary or {}).get("units_below_pass_mark") or {}).get(str(unit.pk), []))
        if run
        else []
    )
    return render(
        request,
        "scoring/unit.html",
        {
            "unit": unit,
            "run": run,
            "rows": rows,
            "total": total,
            "campaign": campaign,
            "below_pass_mark": below,
        },
    )


@role_required(*READ_SCORES)
def what_if(request: HttpRequest) -> HttpResponse:
    campaign, run = _run(request)
    rows = []
    kind = request.GET.get("kind", "")
    if run:
        qs = scoped(WhatIf.objects.filter(run=run), request.user).select_related("indicator", "unit")
        if kind in WhatIfKind.values:
            qs = qs.filter(kind=kind)
        rows = list(qs.order_by("rank")[:300])
        for row in rows:
            row.url = _link(row.ref.get("kind", ""), row.ref)
    return render(
        request,
        "scoring/what_if.html",
        {
            "campaign": campaign,
            "run": run,
            "rows": rows,
            "kinds": WhatIfKind.choices,
            "kind": kind,
            "title": _("What to fix first"),
        },
    )
