"""API routes of the evaluation system: systems and their indicators, scoped like the pages."""

from __future__ import annotations

from decimal import Decimal

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from chuangwen.accounts.scope import get_scoped_or_404, scoped
from chuangwen.core.pagination import Pagination
from chuangwen.indicators.models import EvaluationSystem, Indicator

router = Router(tags=["indicators"])


class SystemOut(Schema):
    id: int
    name: str
    edition: str
    level: str
    campaign_id: int | None
    grade_a_pct: int
    grade_b_pct: int
    grade_c_pct: int
    grade_c_hash_pct: int


class BandOut(Schema):
    grade: str
    measure: str
    comparator: str
    value: Decimal
    unit: str
    expression: str


class IndicatorOut(Schema):
    id: int
    system_id: int
    parent_id: int | None
    level: int
    code: str
    name: str
    standard: str
    points: Decimal | None
    methods: list[str]
    grade_bands: list[BandOut]

    @staticmethod
    def resolve_grade_bands(obj: Indicator) -> list:
        return list(obj.grade_bands.all())


class NegativeOut(Schema):
    name: str
    description: str
    sanction: str
    points: Decimal | None


class SystemDetailOut(SystemOut):
    negative_items: list[NegativeOut]

    @staticmethod
    def resolve_negative_items(obj: EvaluationSystem) -> list:
        return list(obj.negative_items.all())


@router.get("/systems", response=list[SystemOut], summary="Evaluation systems the caller can see")
def list_systems(request: HttpRequest):
    return scoped(EvaluationSystem.objects.all(), request.auth)


@router.get(
    "/systems/{system_id}", response=SystemDetailOut, summary="One evaluation system with its negative list"
)
def get_system(request: HttpRequest, system_id: int):
    return get_scoped_or_404(EvaluationSystem.objects.all(), request.auth, pk=system_id)


@router.get("/systems/{system_id}/indicators", response=list[IndicatorOut], summary="Indicators of a system")
@paginate(Pagination)
def list_indicators(request: HttpRequest, system_id: int, level: int | None = None, method: str = ""):
    system = get_scoped_or_404(EvaluationSystem.objects.all(), request.auth, pk=system_id)
    qs = Indicator.objects.filter(system=system).prefetch_related("grade_bands").order_by("position", "id")
    if level is not None:
        qs = qs.filter(level=level)
    if method:
        # A system holds a few hundred items at most: filtering the JSON list in Python is portable.
        return [i for i in qs if method in i.methods]
    return qs


@router.get("/{indicator_id}", response=IndicatorOut, summary="One indicator")
def get_indicator(request: HttpRequest, indicator_id: int):
    return get_scoped_or_404(Indicator.objects.prefetch_related("grade_bands"), request.auth, pk=indicator_id)
