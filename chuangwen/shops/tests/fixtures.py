"""Test data of the frontage register: a grid of community A, a road of street A with a line,
one shop on it with a signed pledge, a photo and a notice, and a placement on the road.
Built once per world, on demand."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from chuangwen.org.models import Grid, Road
from chuangwen.problems.tests.factories import category, jpeg_bytes
from chuangwen.shops import services
from chuangwen.shops.models import Category, Notice, RoadLine, Shop, ShopPhoto

# A straight road running east for about 1.9 km at latitude 30 (0.02° of longitude).
LINE = {"type": "LineString", "coordinates": [[120.0, 30.0], [120.01, 30.0], [120.02, 30.0]]}


def upload(name: str = "photo.jpg", color: tuple[int, int, int] = (200, 30, 30)) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg_bytes(color=color), content_type="image/jpeg")


@dataclass
class PlacesWorld:
    grid: Grid
    road: Road
    line: RoadLine
    shop: Shop
    photo: ShopPhoto
    notice: Notice


def road_of_a(world: Any) -> tuple[Grid, Road, RoadLine]:
    cached = world.__dict__.get("_places_road")
    if cached is not None:
        return cached
    grid = Grid.objects.create(name="松林一网格", code="G-A-1", unit=world.community_a)
    road = Road.objects.create(name="松林路", unit=world.street_a, chief_unit=world.community_a)
    line = services.save_road_line(road, LINE, True, world.office)
    made = (grid, road, line)
    world.__dict__["_places_road"] = made
    return made


def make_shop(world: Any, name: str = "松林小吃店", lng: float = 120.005, **extra: Any) -> Shop:
    grid, road, _line = road_of_a(world)
    data = services.ShopInput(
        name=name,
        category=extra.pop("category", Category.SMALL_CATERING),
        address=extra.pop("address", "松林路8号"),
        lat=30.0001,
        lng=lng,
        road=road,
        grid=grid,
        contact_name="店主",
        contact_phone="13912345678",
        **extra,
    )
    return services.save_shop(data, world.office)


def places(world: Any) -> PlacesWorld:
    cached = world.__dict__.get("_places")
    if cached is not None:
        return cached
    grid, road, line = road_of_a(world)
    shop = make_shop(world)
    shop = services.sign_pledge(shop, upload("pledge.jpg"), dt.date.today(), world.office)
    photo = services.add_photos(shop, [upload()], world.office)[0]
    problem = services.report_at_shop(shop, world.office, category=category(), description="门前堆放杂物")
    notice = Notice.objects.create(
        shop=shop,
        number="ZGTZ-TEST-00001",
        problem_ids=[problem.pk],
        reason="门前堆物屡查屡犯",
        deadline=dt.date.today(),
    )
    made = PlacesWorld(grid, road, line, Shop.objects.get(pk=shop.pk), photo, notice)
    world.__dict__["_places"] = made
    return made
