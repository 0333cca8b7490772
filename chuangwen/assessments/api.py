"""API routes of the monthly assessment (same rules and scoping as the pages)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from chuangwen.accounts.permissions import has_any_role
from chuangwen.accounts.scope import get_scoped_or_404, scoped
from chuangwen.assessments import queries, services
from chuangwen.assessments.models import Card, Summons
from chuangwen.assessments.permissions import MANAGE_ASSESSMENT, READ_ASSESSMENT
from chuangwen.core.errors import DomainError
from chuangwen.org.models import Unit
from chuangwen.problems.models import Problem, UnitCard

router = Router(tags=["assessments"])


def _need(request: HttpRequest, roles: tuple[str, ...]) -> None:
    if not has_any_role(request.auth, roles):
        raise PermissionError


class RuleIO(Schema):
    kind: str
    points: Decimal
    cap: Decimal | None = None
    is_active: bool = True


class RulesIO(Schema):
    campaign_id: int | None = None
    base_score: Decimal
    unit_kinds: list[str] | None = None
    rules: list[RuleIO]


class MonthIn(Schema):
    campaign_id: int | None = None
    month: str = Field(..., description="YYYY-MM")


class MonthOut(Schema):
    id: int
    campaign_id: int
    month: dt.date
    status: str
    version: int
    computed_at: dt.datetime | None
    published_at: dt.datetime | None


class LineOut(Schema):
    kind: str
    count: int
    points_each: Decimal
    points: Decimal
    capped: bool
    records: dict[str, list[int]]


class ResultOut(Schema):
    id: int
    month_id: int
    unit_id: int
    unit_name: str
    rank: int
    base_score: Decimal
    deducted: Decimal
    score: Decimal
    lines: list[LineOut]


class PublishIn(Schema):
    version: int | None = None


class CardIn(Schema):
    campaign_id: int | None = None
    unit_id: int
    color: str
    reason: str
    problem_id: int | None = None
    issued_at: dt.datetime | None = None


class CardOut(Schema):
    id: int
    unit_id: int
    color: str
    reason: str
    problem_id: int | None
    issued_at: dt.datetime
    automatic: bool = False


class SummonsIn(Schema):
    campaign_id: int | None = None
    unit_id: int
    held_on: dt.date
    summoned: str
    summoned_by: str
    reason: str
    outcome: str = ""
    problem_ids: list[int] = Field(default_factory=list)
    card_ids: list[int] = Field(default_factory=list)
    unit_card_ids: list[int] = Field(default_factory=list)
    version: int | None = Field(None, description="the version you read; a stale one gives 409")


class SummonsOut(Schema):
    id: int
    unit_id: int
    held_on: dt.date
    summoned: str
    summoned_by: str
    reason: str
    outcome: str
    version: int
    problem_ids: list[int]
    card_ids: list[int]
    unit_card_ids: list[int]


class HistoryOut(Schema):
    unit_id: int
    results: list[ResultOut]
    cards: list[CardOut]
    summonses: list[SummonsOut]


def _result(r) -> dict:
    return {
        "id": r.pk,
        "month_id": r.month_id,
        "unit_id": r.unit_id,
        "unit_name": r.unit.name,
        "rank": r.rank,
        "base_score": r.base_score,
        "deducted": r.deducted,
        "score": r.score,
        "lines": [
            {
                "kind": x.kind,
                "count": x.count,
                "points_each": x.points_each,
                "points": x.points,
                "capped": x.capped,
                "records": x.records,
            }
            for x in r.lines.all()
        ],
    }


def _summons(s: Summons) -> dict:
    return {
        "id": s.pk,
        "unit_id": s.unit_id,
        "held_on": s.held_on,
        "summoned": s.summoned,
        "summoned_by": s.summoned_by,
        "reason": s.reason,
        "outcome": s.outcome,
        "version": s.version,
        "problem_ids": [p.pk for p in s.problems.all()],
        "card_ids": [c.pk for c in s.cards.all()],
        "unit_card_ids": [c.pk for c in s.unit_cards.all()],
    }


def _rules_out(campaign) -> dict:
    config, rules = services.settings_for(campaign)
    return {
        "campaign_id": campaign.pk,
        "base_score": config.base_score,
        "unit_kinds": config.unit_kinds,
        "rules": [
            {"kind": r.kind, "points": r.points, "cap": r.cap, "is_active": r.is_active} for r in rules
        ],
    }


@router.get("/rules", response=RulesIO)
def get_rules(request: HttpRequest, campaign_id: int | None = None):
    _need(request, MANAGE_ASSESSMENT)
    return _rules_out(queries.campaign_for(request.auth, campaign_id))


@router.put("/rules", response=RulesIO)
def put_rules(request: HttpRequest, payload: RulesIO):
    _need(request, MANAGE_ASSESSMENT)
    campaign = queries.campaign_for(request.auth, payload.campaign_id)
    inputs = [services.RuleInput(r.kind, r.points, r.cap, r.is_active) for r in payload.rules]
    services.save_rules(campaign, payload.base_score, inputs, request.auth, payload.unit_kinds, request)
    return _rules_out(campaign)


@router.get("/months", response=list[MonthOut])
def list_months(request: HttpRequest, campaign_id: int | None = None):
    _need(request, READ_ASSESSMENT)
    return list(queries.months_for(request.auth, queries.campaign_for(request.auth, campaign_id)))


@router.post("/months", response=MonthOut)
def compute_month(request: HttpRequest, payload: MonthIn):
    _need(request, MANAGE_ASSESSMENT)
    campaign = queries.campaign_for(request.auth, payload.campaign_id)
    return services.compute_month(campaign, payload.month, request.auth, request)


@router.get("/months/{month_id}/results", response=list[ResultOut])
def month_results(request: HttpRequest, month_id: int):
    _need(request, READ_ASSESSMENT)
    month = queries.month_for(request.auth, month_id)
    return [_result(r) for r in queries.results_for(request.auth, month)]


@router.post("/months/{month_id}/publish", response=MonthOut)
def publish_month(request: HttpRequest, month_id: int, payload: PublishIn):
    _need(request, MANAGE_ASSESSMENT)
    month = queries.month_for(request.auth, month_id)
    return services.publish_month(month, request.auth, payload.version, request)


@router.get("/results/{result_id}", response=ResultOut)
def get_result(request: HttpRequest, result_id: int):
    _need(request, READ_ASSESSMENT)
    return _result(queries.result_for(request.auth, result_id))


@router.get("/cards", response=list[CardOut])
def list_cards(request: HttpRequest, campaign_id: int | None = None):
    _need(request, READ_ASSESSMENT)
    campaign = queries.campaign_for(request.auth, campaign_id)
    manual = [
        {
            "id": c.pk,
            "unit_id": c.unit_id,
            "color": c.color,
            "reason": c.reason,
            "problem_id": c.problem_id,
            "issued_at": c.issued_at,
        }
        for c in scoped(Card.objects.filter(campaign=campaign), request.auth)[:500]
    ]
    auto = scoped(UnitCard.objects.filter(campaign=campaign), request.auth)
    manual += [
        {
            "id": c.pk,
            "unit_id": c.unit_id,
            "color": c.color,
            "reason": c.get_reason_display(),
            "problem_id": c.problem_id,
            "issued_at": c.issued_at,
            "automatic": True,
        }
        for c in auto[:500]
    ]
    return manual


@router.post("/cards", response=CardOut)
def create_card(request: HttpRequest, payload: CardIn):
    _need(request, MANAGE_ASSESSMENT)
    campaign = queries.campaign_for(request.auth, payload.campaign_id)
    unit = get_scoped_or_404(Unit.objects.all(), request.auth, pk=payload.unit_id)
    problem = (
        get_scoped_or_404(Problem.objects.all(), request.auth, pk=payload.problem_id)
        if payload.problem_id
        else None
    )
    card = services.record_card(
        campaign, unit, payload.color, payload.reason, request.auth, problem, payload.issued_at, request
    )
    return {
        "id": card.pk,
        "unit_id": card.unit_id,
        "color": card.color,
        "reason": card.reason,
        "problem_id": card.problem_id,
        "issued_at": card.issued_at,
    }


def _summons_data(request: HttpRequest, payload: SummonsIn) -> dict:
    user = request.auth
    data = payload.dict(include={"held_on", "summoned", "summoned_by", "reason", "outcome"})
    data["unit"] = get_scoped_or_404(Unit.objects.all(), user, pk=payload.unit_id)
    data["problems"] = list(scoped(Problem.objects.filter(pk__in=payload.problem_ids), user))
    data["cards"] = list(scoped(Card.objects.filter(pk__in=payload.card_ids), user))
    data["unit_cards"] = list(scoped(UnitCard.objects.filter(pk__in=payload.unit_card_ids), user))
    wanted = len(set(payload.problem_ids)) + len(set(payload.card_ids)) + len(set(payload.unit_card_ids))
    if len(data["problems"]) + len(data["cards"]) + len(data["unit_cards"]) != wanted:
        raise DomainError(_("Some linked problems or cards do not exist."))
    return data


@router.get("/summonses", response=list[SummonsOut])
def list_summonses(request: HttpRequest, campaign_id: int | None = None):
    _need(request, READ_ASSESSMENT)
    campaign = queries.campaign_for(request.auth, campaign_id)
    rows = scoped(Summons.objects.filter(campaign=campaign), request.auth).prefetch_related(
        "problems", "cards", "unit_cards"
    )
    return [_summons(s) for s in rows[:500]]


@router.post("/summonses", response=SummonsOut)
def create_summons(request: HttpRequest, payload: SummonsIn):
    _need(request, MANAGE_ASSESSMENT)
    campaign = queries.campaign_for(request.auth, payload.campaign_id)
    return _summons(
        services.save_summons(campaign, _summons_data(request, payload), request.auth, request=request)
    )


@router.put("/summonses/{summons_id}", response=SummonsOut)
def update_summons(request: HttpRequest, summons_id: int, payload: SummonsIn):
    _need(request, MANAGE_ASSESSMENT)
    row = get_scoped_or_404(Summons.objects.select_related("campaign"), request.auth, pk=summons_id)
    data = _summons_data(request, payload)
    return _summons(services.save_summons(row.campaign, data, request.auth, row, payload.version, request))


@router.get("/units/{unit_id}/history", response=HistoryOut)
def unit_history(request: HttpRequest, unit_id: int, campaign_id: int | None = None):
    _need(request, READ_ASSESSMENT)
    unit = get_scoped_or_404(Unit.objects.all(), request.auth, pk=unit_id)
    campaign = queries.campaign_for(request.auth, campaign_id)
    data = queries.history(request.auth, unit, campaign)
    cards = [
        {
            "id": c.pk,
            "unit_id": c.unit_id,
            "color": c.color,
            "reason": c.reason,
            "problem_id": c.problem_id,
            "issued_at": c.issued_at,
        }
        for c in data["cards"]
    ] + [
        {
            "id": c.pk,
            "unit_id": c.unit_id,
            "color": c.color,
            "reason": c.get_reason_display(),
            "problem_id": c.problem_id,
            "issued_at": c.issued_at,
            "automatic": True,
        }
        for c in data["unit_cards"]
    ]
    return {
        "unit_id": unit.pk,
        "results": [_result(r) for r in data["results"]],
        "cards": cards,
        "summonses": [_summons(s) for s in data["summonses"]],
    }
