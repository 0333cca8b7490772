"""Test data of the 公益广告 inventory: a placement of community A on street A's main road (the
road of the shops' fixture), with a photo, and a construction site of community A."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from chuangwen.placements import services
from chuangwen.placements.models import Carrier, Placement, PlacementPhoto, Site, Theme
from chuangwen.shops.tests.fixtures import road_of_a, upload


@dataclass
class AdWorld:
    placement: Placement
    photo: PlacementPhoto
    site: Site


def make_placement(world: Any, lng: float = 120.001, **extra: Any) -> Placement:
    _grid, road, _line = road_of_a(world)
    data = services.PlacementInput(
        carrier=extra.pop("carrier", Carrier.POLE_BANNER),
        theme=extra.pop("theme", Theme.CORE_VALUES),
        owner_unit=extra.pop("owner_unit", world.community_a),
        title=extra.pop("title", "社会主义核心价值观"),
        lat=30.0,
        lng=lng,
        road=road,
        **extra,
    )
    return services.save_placement(data, world.office)


def ads(world: Any) -> AdWorld:
    cached = world.__dict__.get("_ads")
    if cached is not None:
        return cached
    site = Site.objects.create(name="松林安置房工地", owner_unit=world.community_a, hoarding_length_m=200)
    placement = make_placement(world, site=None)
    make_placement(
        world, lng=120.002, carrier=Carrier.HOARDING, site=site, width_m=Decimal("40"), height_m=Decimal("2")
    )
    photo = PlacementPhoto.objects.create(placement=placement, name="p.jpg", sha256="0" * 64)
    from chuangwen.materials.uploads import StoredFiles, check_uploads

    checked = check_uploads([upload()])
    stored = StoredFiles("placements")
    stored.write_checked(checked)
    photo.file.name, photo.display.name = stored.names_for(checked.photos[0])
    photo.save()
    made = AdWorld(placement, photo, site)
    world.__dict__["_ads"] = made
    return made
