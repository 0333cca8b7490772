"""Demo data of places and honours: lines for two main streets of 鹭湾街道, street-front shops in
the grids along them (a few with signed pledges, one exposed after repeated problems), public-
welfare ads with a gap and a damaged one, a construction site, honours and an open 评选.
Every name is invented. Loaded once: a second run writes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from chuangwen.demo.base import DemoContext
from chuangwen.demo.geography import community_boxes, spot
from chuangwen.honours import services as honours
from chuangwen.honours.models import Honour, Kind, Level
from chuangwen.org.models import Grid, Road
from chuangwen.placements import services as placements
from chuangwen.placements.models import Carrier, Placement, Site, Theme
from chuangwen.shops import services as shops
from chuangwen.shops.models import Category, Shop

SHOP_NAMES = (
    "福来小吃",
    "邻家便利",
    "清风理发",
    "暖泉浴室",
    "安居旅舍",
    "星河网咖",
    "百味面馆",
    "晨光文具",
    "知味茶铺",
    "顺心五金",
)
CATEGORIES = (
    Category.SMALL_CATERING,
    Category.SMALL_GROCERY,
    Category.SMALL_BEAUTY,
    Category.SMALL_BATH,
    Category.SMALL_HOTEL,
    Category.SMALL_INTERNET,
    Category.CATERING,
    Category.RETAIL,
    Category.SMALL_CATERING,
    Category.RETAIL,
)


def load(ctx: DemoContext) -> None:
    if Shop.objects.exists() or ctx.campaign is None:
        return
    office = ctx.campaign.office_unit and next(
        (u for u in ctx.campaign.office_unit.memberships.select_related("user") if u.role == "office_admin"),
        None,
    )
    actor = office.user if office else "system"
    box = community_boxes()["ML-S01-01"]
    roads = {r.name: r for r in Road.objects.filter(name__in=("鹭湾大道", "渔港路"))}
    grids = list(Grid.objects.filter(unit__code="ML-S01-01").order_by("code"))
    if len(roads) < 2 or not grids:
        return
    south, west = spot(box, 0.0, 0.5)
    _s, east = spot(box, 1.0, 0.5)
    main = shops.save_road_line(roads["鹭湾大道"], [[west, south], [east, south]], True, actor)
    lat2, _w = spot(box, 0.0, 0.8)
    shops.save_road_line(roads["渔港路"], [[west, lat2], [east, lat2]], True, actor)
    for index in range(20):
        grid = grids[index % len(grids)]
        x = (index + 0.5) / 20
        lat, lng = spot(box, x, 0.502)
        shop = shops.save_shop(
            shops.ShopInput(
                name=f"{SHOP_NAMES[index % 10]}{'二店' if index >= 10 else ''}",
                category=CATEGORIES[index % 10],
                address=f"鹭湾大道{index * 12 + 2}号",
                lat=lat,
                lng=lng,
                road=roads["鹭湾大道"],
                grid=grid,
                licence_seen=index % 3 != 0,
                licence_expiry=ctx.today + dt.timedelta(days=365 if index % 5 else -20),
                contact_name="店主",
                contact_phone=f"1390000{index:04d}",
            ),
            actor,
        )
        ctx.count(Shop)
        if index % 2 == 0:
            shops.number_pledge(shop, actor)
    # Placements on the main street: its east half has none (a gap on the check); one damaged.
    owner = grids[0].unit
    for n, x in enumerate((0.05, 0.15, 0.3, 0.42)):
        lat, lng = spot(box, x, 0.498)
        placements.save_placement(
            placements.PlacementInput(
                carrier=(Carrier.POLE_BANNER, Carrier.BUS_SHELTER, Carrier.BOARD, Carrier.WALL)[n],
                theme=(Theme.CORE_VALUES, Theme.CIVILIZED_TRAFFIC, Theme.NEW_ETHOS, Theme.CIVILIZED_CITY)[n],
                owner_unit=owner,
                title=("富强民主文明和谐", "礼让斑马线", "讲文明树新风", "共建文明城")[n],
                lat=lat,
                lng=lng,
                road=main.road,
                installed_on=ctx.today - dt.timedelta(days=200),
                content_until=ctx.today - dt.timedelta(days=10) if n == 3 else None,
            ),
            actor,
        )
        ctx.count(Placement)
    site = Site.objects.create(name="鹭湾安置房工地", owner_unit=owner, hoarding_length_m=240)
    placements.save_placement(
        placements.PlacementInput(
            carrier=Carrier.HOARDING,
            theme=Theme.CIVILIZED_CITY,
            owner_unit=owner,
            address="鹭湾安置房工地南侧围挡",
            site=site,
            width_m=Decimal("48"),
            height_m=Decimal("2.5"),
        ),
        actor,
    )
    year = ctx.today.year
    honours.record_honour(owner, Kind.CIVILIZED_UNIT, Level.CITY, year - 2, actor, awarded_by="市文明委")
    honours.record_honour(owner, Kind.CIVILIZED_FAMILY, Level.COUNTY, year - 1, actor, holder_name="陈家")
    honours.record_honour(
        grids[0].unit.parent, Kind.CIVILIZED_UNIT, Level.CITY, year, actor, status="candidate"
    )
    ctx.count(Honour, 3)
    honours.open_selection(
        ctx.campaign,
        Kind.GOOD_PERSON,
        year,
        f"{year}年度“身边好人”评选",
        ctx.today + dt.timedelta(days=20),
        actor,
        objection_contact="区文明办",
    )
