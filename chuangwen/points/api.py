"""API routes of points and duty, scoped like the pages (visibility rule in points.visibility)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from chuangwen.accounts.scope import get_scoped_or_404
from chuangwen.campaigns.groups import owned_by, picked_group
from chuangwen.core.pagination import Pagination
from chuangwen.points import duty
from chuangwen.points.models import CheckIn, DutyShift, Point, PointType, status_of
from chuangwen.points.visibility import get_visible_point_or_404, person_of, visible_points

router = Router(tags=["points"])


class PointOut(Schema):
    id: int
    name: str
    code: str
    point_type_id: int
    address: str
    lat: float | None
    lng: float | None
    input_datum: str
    radius_m: int
    unit_id: int
    grid_id: int | None
    is_key: bool
    is_fixed: bool
    is_active: bool
    last_score: float | None
    last_failed: int | None
    last_inspected_at: dt.datetime | None


class ItemOut(Schema):
    id: int
    number: int
    text: str
    indicator_code: str
    check_mode: str
    params: dict
    scoring: str
    points: float
    weight: float


class PointTypeOut(Schema):
    id: int
    code: str
    name: str
    group: str
    items: list[ItemOut]

    @staticmethod
    def resolve_items(obj: PointType) -> list:
        return [i for i in obj.items.all() if i.is_active]


class MapData(Schema):
    """Compact rows for thousands of markers: [id, lat, lng, status, name, type_code, unit]."""

    fields: list[str]
    rows: list[list]


class Position(Schema):
    lat: float | str | None = None
    lng: float | str | None = None


class CheckInOut(Schema):
    shift_id: int
    checked_in_at: dt.datetime
    in_outside: bool
    in_distance_m: float | None
    checked_out_at: dt.datetime | None
    out_outside: bool


class ShiftOut(Schema):
    id: int
    point_id: int
    point_name: str
    date: dt.date
    start_time: dt.time
    end_time: dt.time
    required_count: int


@router.get("/", response=list[PointOut], summary="Points the caller can see")
@paginate(Pagination)
def list_points(
    request: HttpRequest, q: str = "", point_type_id: int | None = None, group_id: int | None = None
):
    qs = visible_points(Point.objects.filter(is_active=True), request.auth)
    group = picked_group(request.auth, group_id)
    if group is not None:
        qs = owned_by(qs, group)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(code__icontains=q) | Q(address__icontains=q))
    if point_type_id is not None:
        qs = qs.filter(point_type_id=point_type_id)
    return qs.order_by("id")


@router.get("/map", response=MapData, url_name="points_map", summary="Markers for the map")
def map_data(request: HttpRequest, point_type_id: int | None = None, unit_id: int | None = None):
    return {
        "fields": ["id", "lat", "lng", "status", "name", "type", "unit"],
        "rows": map_rows(request.auth, point_type_id, unit_id),
    }


def map_rows(user, point_type_id: int | None = None, unit_id: int | None = None) -> list[list]:
    """One query, no model instances: 5,000 markers in a few tens of milliseconds."""
    qs = visible_points(Point.objects.filter(is_active=True, lat__isnull=False), user)
    if point_type_id is not None:
        qs = qs.filter(point_type_id=point_type_id)
    if unit_id is not None:
        from chuangwen.org.models import Unit

        unit = get_scoped_or_404(Unit.objects.all(), user, pk=unit_id)
        qs = qs.filter(unit__path__startswith=unit.path)
    rows = qs.values_list(
        "id", "lat", "lng", "last_score", "last_failed", "name", "point_type__code", "unit__name"
    )
    return [
        [pk, round(lat, 6), round(lng, 6), status_of(score, failed), name, code, unit]
        for pk, lat, lng, score, failed, name, code, unit in rows.iterator(chunk_size=2000)
    ]


@router.get("/types", response=list[PointTypeOut], summary="Point types with their checklists")
def list_types(request: HttpRequest):
    return PointType.objects.filter(is_active=True).prefetch_related("items")


@router.get("/shifts/mine", response=list[ShiftOut], summary="The caller's duty shifts from today on")
def my_shifts(request: HttpRequest, days: int = Query(7, ge=0, le=366)):
    person = person_of(request.auth)
    if person is None:
        return []
    today = timezone.localdate()
    qs = DutyShift.objects.filter(
        people=person, date__gte=today, date__lte=today + dt.timedelta(days=min(days, 31))
    )
    return [
        ShiftOut(
            id=s.pk,
            point_id=s.point_id,
            point_name=s.point.name,
            date=s.date,
            start_time=s.start_time,
            end_time=s.end_time,
            required_count=s.required_count,
        )
        for s in qs.select_related("point").order_by("date", "start_time")
    ]


def _shift(request: HttpRequest, shift_id: int) -> DutyShift:
    shift = DutyShift.objects.select_related("point").filter(pk=shift_id).first()
    point_id = shift.point_id if shift else 0
    get_visible_point_or_404(Point.objects.all(), request.auth, pk=point_id)
    return shift


@router.post("/shifts/{shift_id}/check-in", response=CheckInOut, summary="Check in for a shift (GPS)")
def api_check_in(request: HttpRequest, shift_id: int, position: Position):
    checkin, _created = duty.check_in(
        _shift(request, shift_id), request.auth, position.lat, position.lng, request=request
    )
    return checkin


@router.post("/shifts/{shift_id}/check-out", response=CheckInOut, summary="Check out of a shift (GPS)")
def api_check_out(request: HttpRequest, shift_id: int, position: Position):
    checkin: CheckIn = duty.check_out(
        _shift(request, shift_id), request.auth, position.lat, position.lng, request=request
    )
    return checkin


@router.get("/{point_id}", response=PointOut, summary="One point")
def get_point(request: HttpRequest, point_id: int):
    return get_visible_point_or_404(Point.objects.all(), request.auth, pk=point_id)
