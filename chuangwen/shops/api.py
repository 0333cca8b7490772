"""API routes of street-front shops (same rules and scoping as the pages). Grid staff's phones
read a grid's or a road's list and keep shops current; a problem found at a shop is filed here."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from chuangwen.accounts.permissions import has_any_role
from chuangwen.accounts.scope import get_scoped_or_404, scoped
from chuangwen.core.errors import DomainError
from chuangwen.core.pagination import Pagination
from chuangwen.core.text import mask_phone
from chuangwen.org.models import Grid, Road, Unit
from chuangwen.problems.models import ProblemCategory
from chuangwen.shops import services
from chuangwen.shops.models import DUTY_CHECKS, Category, Duty, Shop
from chuangwen.shops.permissions import EDIT_SHOPS, READ_SHOPS, REPORT_AT_SHOP
from chuangwen.shops.views import sees_contact, sees_contact_at

router = Router(tags=["shops"])


def _need(request: HttpRequest, roles: tuple[str, ...]) -> None:
    if not has_any_role(request.auth, roles):
        raise PermissionError


class ShopOut(Schema):
    id: int
    name: str
    category: str
    address: str
    lat: float | None
    lng: float | None
    road_id: int | None
    grid_id: int | None
    unit_id: int
    road_position_m: float | None
    walk_order: int
    contact_name: str
    contact_phone: str
    pledge_no: str | None
    pledge_signed_on: dt.date | None
    exposed: bool
    version: int

    @staticmethod
    def resolve_contact_phone(obj: dict, context: dict) -> str:
        if "unit__path" not in obj:  # one shop's answer, masked already
            return obj["contact_phone"]
        user = context["request"].auth
        return (
            obj["contact_phone"]
            if sees_contact_at(user, obj["unit__path"])
            else mask_phone(obj["contact_phone"])
        )

    @staticmethod
    def resolve_exposed(obj: dict) -> bool:
        return obj["exposed"] if "exposed" in obj else obj["exposed_at"] is not None


class ShopDetailOut(ShopOut):
    licence_no: str
    licence_seen: bool
    licence_expiry: dt.date | None
    food_licence_seen: bool
    food_licence_expiry: dt.date | None
    duties: list[str]
    licence_problems: list[str]
    problem_count: int


class ShopIn(Schema):
    name: str = Field(..., max_length=120)
    category: str = Category.OTHER
    address: str = Field("", max_length=200)
    lat: float | None = Field(None, ge=-90, le=90)
    lng: float | None = Field(None, ge=-180, le=180)
    road_id: int | None = None
    grid_id: int | None = None
    unit_id: int | None = None
    walk_order: int = Field(0, ge=0, le=100000)
    licence_no: str = Field("", max_length=40)
    licence_seen: bool = False
    licence_expiry: dt.date | None = None
    food_licence_seen: bool = False
    food_licence_expiry: dt.date | None = None
    contact_name: str = Field("", max_length=60)
    contact_phone: str = Field("", max_length=20)
    duties: list[str] = []
    version: int | None = None


class WalkItem(Schema):
    id: int
    name: str
    address: str
    road_position_m: float | None
    checks: list[str]
    licence_problems: list[str]
    pledge_signed: bool


class ReportIn(Schema):
    category_id: int
    description: str = Field(..., max_length=2000)
    idempotency_key: str | None = Field(None, max_length=80)


class ReportOut(Schema):
    problem_id: int
    unit_id: int | None
    shop_id: int
    replayed: bool


def _out(shop: Shop, user) -> dict:
    return {
        "id": shop.pk,
        "name": shop.name,
        "category": shop.category,
        "address": shop.address,
        "lat": shop.lat,
        "lng": shop.lng,
        "road_id": shop.road_id,
        "grid_id": shop.grid_id,
        "unit_id": shop.unit_id,
        "road_position_m": shop.road_position_m,
        "walk_order": shop.walk_order,
        "contact_name": shop.contact_name,
        "contact_phone": shop.contact_phone if sees_contact(user, shop) else mask_phone(shop.contact_phone),
        "pledge_no": shop.pledge_no,
        "pledge_signed_on": shop.pledge_signed_on,
        "exposed": shop.exposed_at is not None,
        "version": shop.version,
    }


def _detail(shop: Shop, user) -> dict:
    return {
        **_out(shop, user),
        "licence_no": shop.licence_no,
        "licence_seen": shop.licence_seen,
        "licence_expiry": shop.licence_expiry,
        "food_licence_seen": shop.food_licence_seen,
        "food_licence_expiry": shop.food_licence_expiry,
        "duties": shop.duty_list(),
        "licence_problems": shop.licence_problems(),
        "problem_count": shop.problems.count(),
    }


@router.get("/shops", response=list[ShopOut], summary="Shops the caller can see (a grid's or a road's list)")
@paginate(Pagination)
def list_shops(
    request: HttpRequest,
    grid_id: int | None = None,
    road_id: int | None = None,
    category: str = "",
    unsigned: bool = False,
    q: str = "",
):
    _need(request, READ_SHOPS)
    shops = scoped(Shop.objects.filter(is_active=True), request.auth)
    if grid_id is not None:
        shops = shops.filter(grid_id=grid_id)
    if road_id is not None:
        shops = shops.filter(road_id=road_id)
    if category:
        shops = shops.filter(category=category)
    if unsigned:
        shops = shops.filter(Q(pledge_signed_on__isnull=True) | Q(pledge_scan=""))
    if q:
        shops = shops.filter(Q(name__icontains=q[:60]) | Q(address__icontains=q[:60]))
    # Plain rows, not model instances: a page of 100 is several times faster to serialise.
    fields = [f for f in ShopOut.model_fields if f != "exposed"]
    return shops.order_by("name", "id").values(*fields, "exposed_at", "unit__path")


def _resolve(request: HttpRequest, data: ShopIn) -> services.ShopInput:
    user = request.auth
    road = (
        get_scoped_or_404(Road.objects.select_related("chief_unit"), user, pk=data.road_id)
        if data.road_id
        else None
    )
    grid = (
        get_scoped_or_404(Grid.objects.select_related("unit"), user, pk=data.grid_id)
        if data.grid_id
        else None
    )
    unit = get_scoped_or_404(Unit.objects.all(), user, pk=data.unit_id) if data.unit_id else None
    return services.ShopInput(
        name=data.name,
        category=data.category,
        address=data.address,
        lat=data.lat,
        lng=data.lng,
        road=road,
        grid=grid,
        unit=unit,
        walk_order=data.walk_order,
        licence_no=data.licence_no,
        licence_seen=data.licence_seen,
        licence_expiry=data.licence_expiry,
        food_licence_seen=data.food_licence_seen,
        food_licence_expiry=data.food_licence_expiry,
        contact_name=data.contact_name,
        contact_phone=data.contact_phone,
        duties=data.duties,
    )


@router.post("/shops", response=ShopDetailOut, summary="Add a shop")
def create_shop(request: HttpRequest, data: ShopIn):
    _need(request, EDIT_SHOPS)
    values = _resolve(request, data)
    from chuangwen.shops.views import _check_targets

    _check_targets(request.auth, values)
    shop = services.save_shop(values, request.auth, request=request)
    return _detail(shop, request.auth)


@router.get("/shops/{shop_id}", response=ShopDetailOut, summary="One shop")
def get_shop(request: HttpRequest, shop_id: int):
    _need(request, READ_SHOPS)
    return _detail(get_scoped_or_404(Shop.objects.all(), request.auth, pk=shop_id), request.auth)


@router.put("/shops/{shop_id}", response=ShopDetailOut, summary="Change a shop (with the version shown)")
def update_shop(request: HttpRequest, shop_id: int, data: ShopIn):
    shop = get_scoped_or_404(Shop.objects.all(), request.auth, pk=shop_id)
    _need(request, EDIT_SHOPS)
    values = _resolve(request, data)
    if not sees_contact(request.auth, shop) and (not values.contact_phone or "*" in values.contact_phone):
        values.contact_phone = shop.contact_phone  # a masked number is kept, not erased
    from chuangwen.shops.views import _check_targets

    _check_targets(request.auth, values)
    row = services.save_shop(values, request.auth, shop=shop, version=data.version, request=request)
    return _detail(row, request.auth)


@router.get("/roads/{road_id}/walk", response=list[WalkItem], summary="A road's shops in order along it")
def road_walk(request: HttpRequest, road_id: int):
    _need(request, READ_SHOPS)
    road = get_scoped_or_404(Road.objects.all(), request.auth, pk=road_id)
    shops = scoped(Shop.objects.filter(road=road, is_active=True), request.auth).in_walk_order()
    return [
        {
            "id": s.pk,
            "name": s.name,
            "address": s.address,
            "road_position_m": s.road_position_m,
            "checks": [f"{Duty(d).label}: {DUTY_CHECKS[d]}" for d in s.duty_list()],
            "licence_problems": s.licence_problems(),
            "pledge_signed": s.pledge_signed,
        }
        for s in shops
    ]


@router.post("/shops/{shop_id}/problems", response=ReportOut, summary="File a problem found at the shop")
def report_problem(request: HttpRequest, shop_id: int, data: ReportIn):
    shop = get_scoped_or_404(Shop.objects.select_related("unit"), request.auth, pk=shop_id)
    _need(request, REPORT_AT_SHOP)
    category = get_object_or_404(ProblemCategory, pk=data.category_id, is_active=True)
    if category.parent_id is None:
        raise DomainError(_("Choose a specific category, not a major one."))
    problem = services.report_at_shop(
        shop,
        request.auth,
        category=category,
        description=data.description,
        idempotency_key=data.idempotency_key,
        request=request,
    )
    return {
        "problem_id": problem.pk,
        "unit_id": problem.unit_id,
        "shop_id": shop.pk,
        "replayed": bool(getattr(problem, "replayed", False)),
    }
