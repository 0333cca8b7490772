"""API routes of scoring: the summary, an indicator's explanation, the league, what-if, the
configuration (read, new version), recompute, 部门评价 and negative-list events."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from chuangwen.accounts.permissions import has_any_role
from chuangwen.accounts.scope import get_scoped_or_404, scoped
from chuangwen.campaigns.choice import required_campaign
from chuangwen.campaigns.models import Campaign
from chuangwen.core.errors import DomainError
from chuangwen.indicators.models import Indicator, NegativeItem
from chuangwen.org.models import Unit
from chuangwen.scoring import services
from chuangwen.scoring.models import DepartmentEvaluation, IndicatorScore, UnitLoss, WhatIf
from chuangwen.scoring.permissions import MANAGE_SCORING, READ_CONFIG, READ_SCORES
from chuangwen.scoring.summary import dashboard_summary, latest_run
from chuangwen.scoring.views import visible_unit_ids

router = Router(tags=["scoring"])


def _require(request: HttpRequest, roles: tuple[str, ...]) -> None:
    if not has_any_role(request.auth, roles):
        raise PermissionError(_("You may not do this."))


def _campaign(request: HttpRequest, campaign_id: int | None) -> Campaign:
    return required_campaign(request.auth, campaign_id)


class MethodRow(Schema):
    method: str
    label: str
    score: float
    max: float


class AspectRow(Schema):
    code: str
    name: str
    score: float
    max: float


class ProjectionOut(Schema):
    mean: float
    low: float
    high: float
    draws: int


class LeagueRow(Schema):
    unit_id: int
    unit: str
    lost: float


class SummaryOut(Schema):
    computed_at: dt.datetime
    total: float
    max: float
    barred: bool
    by_method: list[MethodRow]
    by_aspect: list[AspectRow]
    projection: ProjectionOut | None
    league: list[LeagueRow]


class ExplainOut(Schema):
    indicator_id: int
    code: str
    grade: str
    earned: float | None
    max_points: float
    full_points: float
    no_data: bool
    parts: list[dict[str, Any]]


class WhatIfOut(Schema):
    rank: int
    kind: str
    indicator_id: int
    unit_id: int | None
    label: str
    gain: float
    indicator_gain: float
    ref: dict[str, Any]


class ConfigIn(Schema):
    weights: dict[str, dict[str, float]]
    minors_share: Decimal = Decimal("20")
    minors_gate: Decimal = Decimal("85")
    villages_share: Decimal = Decimal("10")
    grade_cuts: dict[str, float] = {"A": 0.9, "B": 0.75, "C": 0.5}
    pass_marks: dict[str, float] = Field({}, description="method → mark out of 100; below it 不合格")
    bonus_rules: list[dict[str, Any]] = []
    bonus_cap: Decimal = Decimal("5")
    field_quotas: dict[str, int] = {}
    note: str = ""


class ConfigOut(ConfigIn):
    id: int
    version: int
    campaign_id: int
    created_at: dt.datetime


class RunOut(Schema):
    id: int
    total: float
    max_total: float
    barred: bool
    computed_at: dt.datetime
    config_version: int


class DepartmentIn(Schema):
    value: Decimal | None = None
    grade: str = ""
    note: str = ""


class DepartmentOut(Schema):
    id: int
    indicator_id: int
    value: Decimal | None
    grade: str
    note: str
    updated_at: dt.datetime


class NegativeIn(Schema):
    item_id: int
    occurred_on: dt.date
    note: str
    unit_id: int | None = None


class NegativeOut(Schema):
    id: int
    item_id: int
    unit_id: int | None
    occurred_on: dt.date
    note: str
    withdrawn: bool


@router.get("/summary", response={200: SummaryOut, 204: None}, summary="The latest score of a campaign")
def summary(request: HttpRequest, campaign_id: int | None = None):
    _require(request, READ_SCORES)
    found = dashboard_summary(_campaign(request, campaign_id))
    return Status(204, None) if found is None else found


@router.get("/indicators/{indicator_id}", response=ExplainOut, summary="How an indicator's score was reached")
def explain(request: HttpRequest, indicator_id: int):
    _require(request, READ_SCORES)
    indicator = get_scoped_or_404(
        Indicator.objects.select_related("system__campaign"), request.auth, pk=indicator_id
    )
    run = latest_run(indicator.system.campaign) if indicator.system.campaign else None
    score = IndicatorScore.objects.filter(run=run, indicator=indicator).first() if run else None
    if score is None:
        raise Http404
    parts = (score.explain or {}).get("parts", [])
    unit_ids = {e["unit"] for p in parts for e in p.get("inputs", []) + p.get("costs", []) if e.get("unit")}
    allowed = visible_unit_ids(request.auth, unit_ids)
    if allowed is not None:  # a unit sees its own inputs and costs only
        parts = [
            {
                **p,
                **{
                    g: [e for e in p.get(g, []) if not e.get("unit") or e["unit"] in allowed]
                    for g in ("inputs", "costs")
                },
            }
            for p in parts
        ]
    return {
        "indicator_id": indicator.pk,
        "code": indicator.code,
        "grade": score.grade,
        "earned": score.earned,
        "max_points": score.max_points,
        "full_points": score.full_points,
        "no_data": score.no_data,
        "parts": parts,
    }


@router.get("/league", response=list[LeagueRow], summary="Units ranked by points lost (scoped)")
def league(request: HttpRequest, campaign_id: int | None = None, limit: int = 100):
    _require(request, READ_SCORES)
    run = latest_run(_campaign(request, campaign_id))
    if run is None:
        return []
    rows = scoped(UnitLoss.objects.filter(run=run), request.auth).select_related("unit").order_by("rank")
    return [
        {"unit_id": r.unit_id, "unit": r.unit.name, "lost": r.lost} for r in rows[: max(1, min(limit, 1000))]
    ]


@router.get(
    "/what-if", response=list[WhatIfOut], summary="Fixes ranked by the points they would gain (scoped)"
)
def what_if(request: HttpRequest, campaign_id: int | None = None, kind: str = ""):
    _require(request, READ_SCORES)
    run = latest_run(_campaign(request, campaign_id))
    if run is None:
        return []
    rows = scoped(WhatIf.objects.filter(run=run), request.auth).order_by("rank")
    return list(rows.filter(kind=kind)[:300] if kind else rows[:300])


def _config_out(config: Any) -> dict[str, Any]:
    return {
        **{f: getattr(config, f) for f in services.CONFIG_FIELDS},
        "id": config.pk,
        "version": config.version,
        "campaign_id": config.campaign_id,
        "created_at": config.created_at,
    }


@router.get("/config", response=ConfigOut, summary="The current scoring configuration")
def get_config(request: HttpRequest, campaign_id: int | None = None):
    _require(request, READ_CONFIG)
    return _config_out(services.current_config(_campaign(request, campaign_id)))


@router.post("/config", response={201: ConfigOut}, summary="Save the scoring configuration as a new version")
def post_config(request: HttpRequest, payload: ConfigIn, campaign_id: int | None = None):
    _require(request, MANAGE_SCORING)
    campaign = _campaign(request, campaign_id)
    config = services.save_config(campaign, payload.dict(), actor=request.auth, request=request)
    return Status(201, _config_out(config))


@router.post("/recompute", response=RunOut, summary="Recompute the campaign's score now")
def recompute(request: HttpRequest, campaign_id: int | None = None):
    _require(request, MANAGE_SCORING)
    run = services.recompute(_campaign(request, campaign_id), actor=request.auth)
    return {
        "id": run.pk,
        "total": run.total,
        "max_total": run.max_total,
        "barred": run.barred,
        "computed_at": run.computed_at,
        "config_version": run.config.version,
    }


@router.get("/department", response=list[DepartmentOut], summary="部门评价 values of a campaign")
def department_list(request: HttpRequest, campaign_id: int | None = None):
    _require(request, READ_CONFIG)
    return list(DepartmentEvaluation.objects.filter(campaign=_campaign(request, campaign_id)))


@router.put("/department/{indicator_id}", response=DepartmentOut, summary="Enter or change a 部门评价 value")
def department_put(request: HttpRequest, indicator_id: int, payload: DepartmentIn):
    _require(request, MANAGE_SCORING)
    indicator = get_scoped_or_404(Indicator.objects.select_related("system"), request.auth, pk=indicator_id)
    if indicator.system.campaign is None:
        raise DomainError(_("The indicator belongs to no campaign."))
    if payload.grade and payload.grade not in ("A", "B", "C", "C#"):
        raise DomainError(_("A grade is one of A, B, C and C#."))
    return services.save_department_evaluation(
        indicator.system.campaign,
        indicator,
        value=payload.value,
        grade=payload.grade,
        note=payload.note,
        actor=request.auth,
        request=request,
    )


@router.post("/negative-events", response={201: NegativeOut}, summary="Record a negative-list event")
def negative_post(request: HttpRequest, payload: NegativeIn, campaign_id: int | None = None):
    _require(request, MANAGE_SCORING)
    campaign = _campaign(request, campaign_id)
    item = get_scoped_or_404(NegativeItem.objects.select_related("system"), request.auth, pk=payload.item_id)
    unit = (
        get_scoped_or_404(Unit.objects.all(), request.auth, pk=payload.unit_id) if payload.unit_id else None
    )
    event = services.record_negative_event(
        campaign,
        item,
        occurred_on=payload.occurred_on,
        note=payload.note,
        unit=unit,
        actor=request.auth,
        request=request,
    )
    return Status(201, event)
