"""API routes of the 公益广告 inventory (same rules and scoping as the pages)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from chuangwen.accounts.permissions import has_any_role
from chuangwen.accounts.scope import get_scoped_or_404, scope_for, scoped
from chuangwen.core.pagination import Pagination
from chuangwen.org.models import Road, Unit
from chuangwen.placements import services
from chuangwen.placements.models import Placement, Site
from chuangwen.placements.permissions import CHECK_PLACEMENTS, EDIT_PLACEMENTS, READ_PLACEMENTS, RUN_CHECKS
from chuangwen.points.models import Point

router = Router(tags=["placements"])


def _need(request: HttpRequest, roles: tuple[str, ...]) -> None:
    if not has_any_role(request.auth, roles):
        raise PermissionError


class PlacementOut(Schema):
    id: int
    carrier: str
    theme: str
    title: str
    address: str
    lat: float | None
    lng: float | None
    road_id: int | None
    road_position_m: float | None
    point_id: int | None
    site_id: int | None
    width_m: Decimal | None
    height_m: Decimal | None
    installed_on: dt.date | None
    content_until: dt.date | None
    owner_unit_id: int
    condition: str
    problem_id: int | None
    version: int


class PlacementIn(Schema):
    carrier: str
    theme: str
    owner_unit_id: int
    title: str = Field("", max_length=120)
    address: str = Field("", max_length=200)
    lat: float | None = Field(None, ge=-90, le=90)
    lng: float | None = Field(None, ge=-180, le=180)
    road_id: int | None = None
    point_id: int | None = None
    site_id: int | None = None
    width_m: Decimal | None = Field(None, ge=0, le=999)
    height_m: Decimal | None = Field(None, ge=0, le=999)
    installed_on: dt.date | None = None
    content_until: dt.date | None = None
    version: int | None = None


class ConditionIn(Schema):
    condition: str
    note: str = Field("", max_length=300)
    version: int | None = None
    idempotency_key: str | None = Field(None, max_length=80)


class GapOut(Schema):
    start_m: float
    end_m: float
    length_m: float


class RoadGapsOut(Schema):
    road_id: int
    road_name: str
    length_m: float
    placements: int
    gaps: list[GapOut]


@router.get("/placements", response=list[PlacementOut], summary="Placements the caller can see")
@paginate(Pagination)
def list_placements(
    request: HttpRequest,
    road_id: int | None = None,
    carrier: str = "",
    condition: str = "",
    due: bool = False,
):
    _need(request, READ_PLACEMENTS)
    rows = scoped(Placement.objects.filter(is_active=True), request.auth)
    if road_id is not None:
        rows = rows.filter(road_id=road_id)
    if carrier:
        rows = rows.filter(carrier=carrier)
    if condition:
        rows = rows.filter(condition=condition)
    if due:
        rows = services.due_for_replacement(rows)
    return rows.order_by("-id")


def _resolve(request: HttpRequest, data: PlacementIn) -> services.PlacementInput:
    user = request.auth
    return services.PlacementInput(
        carrier=data.carrier,
        theme=data.theme,
        owner_unit=get_scoped_or_404(Unit.objects.all(), user, pk=data.owner_unit_id),
        title=data.title,
        address=data.address,
        lat=data.lat,
        lng=data.lng,
        road=get_scoped_or_404(Road.objects.all(), user, pk=data.road_id) if data.road_id else None,
        point=get_scoped_or_404(Point.objects.all(), user, pk=data.point_id) if data.point_id else None,
        site=get_scoped_or_404(Site.objects.all(), user, pk=data.site_id) if data.site_id else None,
        width_m=data.width_m,
        height_m=data.height_m,
        installed_on=data.installed_on,
        content_until=data.content_until,
    )


@router.post("/placements", response=PlacementOut, summary="Add a placement")
def create_placement(request: HttpRequest, data: PlacementIn):
    _need(request, EDIT_PLACEMENTS)
    return services.save_placement(_resolve(request, data), request.auth, request=request)


@router.get("/placements/{placement_id}", response=PlacementOut, summary="One placement")
def get_placement(request: HttpRequest, placement_id: int):
    _need(request, READ_PLACEMENTS)
    return get_scoped_or_404(Placement.objects.all(), request.auth, pk=placement_id)


@router.put("/placements/{placement_id}", response=PlacementOut, summary="Change a placement")
def update_placement(request: HttpRequest, placement_id: int, data: PlacementIn):
    placement = get_scoped_or_404(Placement.objects.all(), request.auth, pk=placement_id)
    _need(request, EDIT_PLACEMENTS)
    return services.save_placement(
        _resolve(request, data), request.auth, placement=placement, version=data.version, request=request
    )


@router.post(
    "/placements/{placement_id}/condition",
    response=PlacementOut,
    summary="Record the condition found (a damaged one becomes a problem for its owner unit)",
)
def record_condition(request: HttpRequest, placement_id: int, data: ConditionIn):
    placement = get_scoped_or_404(Placement.objects.all(), request.auth, pk=placement_id)
    _need(request, CHECK_PLACEMENTS)
    return services.record_condition(
        placement,
        data.condition,
        request.auth,
        note=data.note,
        version=data.version,
        idempotency_key=data.idempotency_key,
        request=request,
    )


@router.get(
    "/checks/gaps", response=list[RoadGapsOut], summary="Stretches of main streets without a placement"
)
def gaps(request: HttpRequest):
    _need(request, RUN_CHECKS)
    rules = services.rules_for(services.current_campaign())
    scope = scope_for(request.auth)
    road_ids = (
        None
        if scope.everything
        else set(scoped(Road.objects.all(), request.auth).values_list("pk", flat=True))
    )
    return [
        {
            "road_id": g.road_id,
            "road_name": g.road_name,
            "length_m": round(g.length_m, 1),
            "placements": g.placements,
            "gaps": [
                {"start_m": round(x.start_m, 1), "end_m": round(x.end_m, 1), "length_m": round(x.length_m, 1)}
                for x in g.gaps
            ],
        }
        for g in services.gap_check(road_ids, rules.max_gap_m)
    ]
