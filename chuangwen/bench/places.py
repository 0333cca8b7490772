"""`chuangwen bench places`: the frontage register and the 公益广告 inventory at city scale.

Builds 100,000 street-front shops in 1,000 grids and 20,000 public-welfare ad placements along
400 main streets of about 2 km (one in four covered on its first half only), times --scale, then measures, each beside its raw floor in the
same run:
- the 500 m gap check over every main street (`placements.services.gap_check`: the lines, every
  placement projected afresh onto its road's line, the gaps), against one raw SQL query and the
  same projection done by numpy over arrays (the raw-geometry equivalent);
- a grid's shop list as its grid staff sees it (`GET /api/shops/shops?grid_id=…`, 100 shops, and
  the page `/shops/?grid=…`), against the same page of rows fetched with one raw SQL query and
  serialised with json.dumps.
"""

# Fake data from a seeded generator and hand-written SQL are what a benchmark is made of.
# ruff: noqa: S311, S608

from __future__ import annotations

import json
import math
import random
import time
from contextlib import nullcontext
from typing import Any

import numpy as np
from django.db import connection, transaction
from django.test import Client

from chuangwen.accounts.models import Membership, Role, User
from chuangwen.bench import sample, scratch_database, verdict
from chuangwen.core import polyline
from chuangwen.org.models import Grid, Road, Unit, UnitKind
from chuangwen.placements import services as placement_services
from chuangwen.placements.models import Carrier, Placement, Theme
from chuangwen.shops.models import Category, RoadLine, Shop

SIZES = {"shops": 100_000, "grids": 1000, "placements": 20_000, "roads": 400, "communities": 100}
TARGETS = {"gap_check_s": 2.0, "grid_list_ms": 100.0}
CENTER = (30.27, 120.15)
ROAD_M = 2000.0
VERTICES = 12


def run(options: dict[str, Any]) -> dict[str, Any]:
    scale = float(options.get("scale") or 1.0)
    repeat = int(options.get("repeat") or 30)
    with scratch_database() if options.get("scratch", True) else nullcontext():
        return _run(scale, repeat)


def _run(scale: float, repeat: int) -> dict[str, Any]:
    sizes = {key: max(2, round(value * scale)) for key, value in SIZES.items()}
    sizes["communities"] = max(2, min(sizes["communities"], sizes["grids"]))
    rng = random.Random(2026)
    start = time.perf_counter()
    communities, grids = _build_units(sizes)
    roads = _build_roads(communities[0].parent, communities, sizes["roads"], rng)
    _build_shops(grids, roads, sizes["shops"], rng)
    _build_placements(roads, communities, sizes["placements"], rng)
    build_seconds = round(time.perf_counter() - start, 2)
    grid = grids[0]
    staff = User.objects.create_user(username="b-grid-staff", password=None)
    Membership.objects.create(user=staff, unit=grid.unit, role=Role.DUTY_STAFF)
    office_unit = Unit.objects.filter(kind=UnitKind.DEPARTMENT).first()
    office = User.objects.create_user(username="b-office", password=None)
    Membership.objects.create(user=office, unit=office_unit, role=Role.OFFICE_ADMIN)
    return {
        "area": "places",
        "sizes": sizes,
        "build_seconds": build_seconds,
        "gap_check": _measure_gaps(max(3, repeat // 6)),
        "grid_list": _measure_grid_list(staff, office, grid, repeat),
        "database": connection.vendor,
    }


# -- data ----------------------------------------------------------------------------------------


def _build_units(sizes: dict[str, int]) -> tuple[list[Unit], list[Grid]]:
    city = Unit.objects.create(name="基准市", code="B-C", kind=UnitKind.CITY)
    district = Unit.objects.create(name="基准区", code="B-D", kind=UnitKind.DISTRICT, parent=city)
    Unit.objects.create(name="基准区创建办", code="B-OFF", kind=UnitKind.DEPARTMENT, parent=district)
    streets = [
        Unit.objects.create(name=f"基准街道{i}", code=f"B-S{i}", kind=UnitKind.STREET, parent=district)
        for i in range(max(1, sizes["communities"] // 10))
    ]
    communities = [
        Unit.objects.create(
            name=f"基准社区{i}", code=f"B-Q{i}", kind=UnitKind.COMMUNITY, parent=streets[i % len(streets)]
        )
        for i in range(sizes["communities"])
    ]
    Grid.objects.bulk_create(
        [
            Grid(name=f"网格{i}", code=f"B-G{i}", unit=communities[i % len(communities)])
            for i in range(sizes["grids"])
        ]
    )
    return communities, list(Grid.objects.select_related("unit").order_by("id"))


def _line(rng: random.Random) -> list[list[float]]:
    """A gently bending street of about ROAD_M metres somewhere in the city."""
    lat = CENTER[0] + rng.uniform(-0.15, 0.15)
    lng = CENTER[1] + rng.uniform(-0.15, 0.15)
    heading = rng.uniform(0, math.pi)
    step = ROAD_M / (VERTICES - 1)
    points = [[lng, lat]]
    for _ in range(VERTICES - 1):
        heading += rng.uniform(-0.2, 0.2)
        lat += step * math.sin(heading) / 111_195.0
        lng += step * math.cos(heading) / (111_195.0 * math.cos(math.radians(lat)))
        points.append([lng, lat])
    return points


def _build_roads(
    district: Unit, communities: list[Unit], count: int, rng: random.Random
) -> list[tuple[Road, Any]]:
    roads = Road.objects.bulk_create(
        [
            Road(name=f"基准路{i}", unit=district, chief_unit=communities[i % len(communities)])
            for i in range(count)
        ]
    )
    lines = []
    rows = []
    for road in roads:
        coordinates = _line(rng)
        line = polyline.build(coordinates)
        lines.append((road, line, coordinates))
        rows.append(RoadLine(road=road, coordinates=coordinates, length_m=line.length_m, is_main=True))
    RoadLine.objects.bulk_create(rows, batch_size=500)
    return [(road, line) for road, line, _c in lines]


def _beside(line: polyline.Line, at: float, offset: float) -> tuple[float, float]:
    lat, lng = polyline.point_at(line, at)
    return lat + offset / 111_195.0, lng


def _build_shops(grids: list[Grid], roads: list[tuple[Road, Any]], count: int, rng: random.Random) -> None:
    categories = Category.values
    batch: list[Shop] = []
    with transaction.atomic():
        for i in range(count):
            grid = grids[i % len(grids)]
            road, line = roads[i % len(roads)]
            at = rng.uniform(0, line.length_m)
            lat, lng = _beside(line, at, 12.0)
            batch.append(
                Shop(
                    name=f"商户{i:06d}",
                    category=categories[i % len(categories)],
                    address=f"{road.name}{i % 300 + 1}号",
                    lat=lat,
                    lng=lng,
                    road=road,
                    grid=grid,
                    unit_id=grid.unit_id,
                    road_position_m=round(at, 1),
                    contact_name="店主",
                    contact_phone=f"139{i:08d}",
                    duties=[],
                )
            )
            if len(batch) == 5000:
                Shop.objects.bulk_create(batch)
                batch = []
        Shop.objects.bulk_create(batch)


def _build_placements(
    roads: list[tuple[Road, Any]], communities: list[Unit], count: int, rng: random.Random
) -> None:
    batch: list[Placement] = []
    carriers, themes = Carrier.values, Theme.values
    with transaction.atomic():
        for i in range(count):
            road, line = roads[i % len(roads)]
            # One street in four has its placements on its first half only: real gaps to find.
            reach = 0.5 if (i % len(roads)) % 4 == 0 else 1.0
            at = rng.uniform(0, line.length_m * reach)
            lat, lng = _beside(line, at, rng.uniform(-20, 20))
            batch.append(
                Placement(
                    carrier=carriers[i % len(carriers)],
                    theme=themes[i % len(themes)],
                    lat=lat,
                    lng=lng,
                    road=road,
                    road_position_m=round(at, 1),
                    owner_unit=communities[i % len(communities)],
                )
            )
            if len(batch) == 5000:
                Placement.objects.bulk_create(batch)
                batch = []
        Placement.objects.bulk_create(batch)


# -- the gap check -------------------------------------------------------------------------------


def _raw_gaps(max_gap: float) -> int:
    """One SQL query for the placements, the lines from one more; numpy projects each road's
    placements onto its segments at once (the raw-geometry floor)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT road_id, coordinates FROM shops_roadline WHERE is_main")
        lines = {road_id: json.loads(c) if isinstance(c, str) else c for road_id, c in cursor.fetchall()}
        cursor.execute(
            "SELECT road_id, lat, lng FROM placements_placement WHERE is_active AND road_id IS NOT NULL"
        )
        by_road: dict[int, list[tuple[float, float]]] = {}
        for road_id, lat, lng in cursor.fetchall():
            by_road.setdefault(road_id, []).append((lat, lng))
    gaps = 0
    for road_id, coordinates in lines.items():
        pts = np.asarray(coordinates, dtype=float)
        lat0 = pts[:, 1].mean()
        ky = math.pi * polyline.EARTH_RADIUS_M / 180.0
        kx = ky * math.cos(math.radians(lat0))
        xy = np.column_stack(((pts[:, 0] - pts[:, 0].mean()) * kx, (pts[:, 1] - lat0) * ky))
        a, b = xy[:-1], xy[1:]
        d = b - a
        seg = np.hypot(d[:, 0], d[:, 1])
        cum = np.concatenate(([0.0], np.cumsum(seg)))
        marks = by_road.get(road_id)
        if not marks:
            gaps += 1
            continue
        p = np.asarray(marks, dtype=float)
        pxy = np.column_stack(((p[:, 1] - pts[:, 0].mean()) * kx, (p[:, 0] - lat0) * ky))
        rel = pxy[:, None, :] - a[None, :, :]
        t = np.clip((rel * d[None, :, :]).sum(axis=2) / np.maximum(seg**2, 1e-12)[None, :], 0, 1)
        q = a[None, :, :] + t[:, :, None] * d[None, :, :]
        off = np.hypot(*(pxy[:, None, :] - q).transpose(2, 0, 1))
        best = off.argmin(axis=1)
        rows = np.arange(len(p))
        at = cum[best] + t[rows, best] * seg[best]
        at = np.sort(at[off[rows, best] <= placement_services.ON_ROAD_M])
        edges = np.concatenate(([0.0], at, [cum[-1]]))
        gaps += int((np.diff(edges) > max_gap).sum())
    return gaps


def _measure_gaps(repeat: int) -> dict[str, Any]:
    found = placement_services.gap_check(None, 500)
    gaps = sum(len(g.gaps) for g in found)
    raw_gaps = _raw_gaps(500)
    product = sample(lambda: placement_services.gap_check(None, 500), repeat=repeat, warmup=1)
    raw = sample(lambda: _raw_gaps(500), repeat=repeat, warmup=1)
    return {
        "roads": len(found),
        "gaps": gaps,
        "raw_gaps": raw_gaps,
        "service": product,
        "raw_numpy": raw,
        "ratio_p50": round(product["p50_ms"] / max(raw["p50_ms"], 0.01), 2),
        "p95": verdict(round(product["p95_ms"] / 1000, 3), TARGETS["gap_check_s"]),
    }


# -- a grid's shop list ----------------------------------------------------------------------------

_GRID_SQL = """
SELECT s.id, s.name, s.category, s.address, s.lat, s.lng, s.road_id, s.grid_id, s.unit_id,
       s.road_position_m, s.walk_order, s.contact_name, s.contact_phone, s.pledge_no,
       s.pledge_signed_on, s.exposed_at, s.version
FROM shops_shop s JOIN org_unit u ON u.id = s.unit_id
WHERE s.is_active AND s.grid_id = %s AND u.path LIKE %s
ORDER BY s.name, s.id LIMIT 100
"""


def _measure_grid_list(staff: User, office: User, grid: Grid, repeat: int) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for role, user in (("grid_staff", staff), ("office", office)):
        client = Client()
        client.force_login(user)
        url = f"/api/shops/shops?grid_id={grid.pk}&limit=100"
        rows = len(json.loads(client.get(url).content)["items"])

        def raw() -> None:
            with connection.cursor() as cursor:
                cursor.execute(_GRID_SQL, [grid.pk, grid.unit.path + "%"])
                json.dumps([list(r) for r in cursor.fetchall()], ensure_ascii=False, default=str)

        api = sample(lambda client=client, url=url: client.get(url), repeat=repeat)
        page = sample(lambda client=client: client.get(f"/shops/?grid={grid.pk}"), repeat=repeat)
        result[role] = {
            "rows": rows,
            "api": api,
            "page": page,
            "raw_sql": sample(raw, repeat=repeat),
            "api_p95": verdict(api["p95_ms"], TARGETS["grid_list_ms"]),
            "page_p95": verdict(page["p95_ms"], TARGETS["grid_list_ms"]),
        }
    return result
