"""Which unit answers for a new problem.

The rules, first match wins:
1. the point's responsible unit — through a resolver the points app registers (see below);
2. the grid whose boundary (org.Grid.polygon, GeoJSON, WGS-84) contains the location;
3. the road chief's unit (org.Road.chief_unit) of the road named in the address or the
   description (roads carry no geometry yet, so the longest road name found in the text wins);
4. the category's default unit (or its major category's);
5. nobody: the problem waits in the office's dispatch queue.

Hook for the points app: `register_point_resolver(fn)` where fn(point_ref) returns a
`PointInfo` (the responsible unit's id, the point's name and its type's name) or None. The
points app calls it in its AppConfig.ready(); until then `point_ref` is kept as reported,
rule 1 never matches and exports group such problems under "no point".
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import TextField
from django.db.models.functions import Cast

from chuangwen.core.text import normalize_name
from chuangwen.org.models import Grid, Road
from chuangwen.problems.models import ProblemCategory, RoutedBy


@dataclass(frozen=True)
class PointInfo:
    unit_id: int | None
    name: str
    type_name: str = ""


PointResolver = Callable[[str], PointInfo | None]
_point_resolver: PointResolver | None = None


def register_point_resolver(resolver: PointResolver | None) -> None:
    """Let the points app route and group by point (None removes the resolver, e.g. in tests)."""
    global _point_resolver
    _point_resolver = resolver


def point_info(point_ref: str) -> PointInfo | None:
    if not point_ref or _point_resolver is None:
        return None
    return _point_resolver(point_ref)


@dataclass(frozen=True)
class Routing:
    unit_id: int | None
    rule: str
    grid_id: int | None = None
    road_id: int | None = None


def route(
    category: ProblemCategory,
    lat: float | None = None,
    lng: float | None = None,
    text: str = "",
    point_ref: str = "",
) -> Routing:
    point = point_info(point_ref)
    if point is not None and point.unit_id:
        return Routing(point.unit_id, RoutedBy.POINT)
    if lat is not None and lng is not None:
        grid = find_grid(lat, lng)
        if grid is not None:
            return Routing(grid[1], RoutedBy.GRID, grid_id=grid[0])
    road = find_road(text)
    if road is not None:
        return Routing(road[1], RoutedBy.ROAD, road_id=road[0])
    default_unit_id = category.effective_default_unit_id()
    if default_unit_id:
        return Routing(default_unit_id, RoutedBy.CATEGORY)
    return Routing(None, RoutedBy.OFFICE)


# Parsed boundaries keyed by their JSON text: a changed boundary is a new key, so the cache is
# never stale and needs no invalidation (each process fills its own; bounded in size).
_PARSED: dict[str, tuple[list, tuple[float, float, float, float], float] | None] = {}
_PARSED_MAX = 20_000


def _parse(text: str) -> tuple[list, tuple[float, float, float, float], float] | None:
    if text in _PARSED:
        return _PARSED[text]
    try:
        rings = polygons(json.loads(text))
    except (TypeError, ValueError):
        rings = []
    parsed = None
    if rings:
        xs = [p[0] for poly in rings for p in poly[0]]
        ys = [p[1] for poly in rings for p in poly[0]]
        area = sum(abs(_ring_area(poly[0])) for poly in rings)
        parsed = (rings, (min(xs), min(ys), max(xs), max(ys)), area)
    if len(_PARSED) >= _PARSED_MAX:
        _PARSED.clear()
    _PARSED[text] = parsed
    return parsed


# The grid list a process last read, kept for GRIDS_SECONDS: boundaries change rarely, and
# filing a problem should not re-read every boundary. Other processes see an edit within that
# time; forget_grids() drops it at once (after an import, in tests).
GRIDS_SECONDS = 60.0
_grids: tuple[float, list[tuple[int, int, str]]] | None = None


def forget_grids() -> None:
    global _grids
    _grids = None


def _grid_rows() -> list[tuple[int, int, str]]:
    global _grids
    now = time.monotonic()
    if _grids is None or now - _grids[0] >= GRIDS_SECONDS:
        rows = (
            Grid.objects.exclude(polygon=None)
            .annotate(text=Cast("polygon", TextField()))
            .values_list("id", "unit_id", "text")
        )
        _grids = (now, list(rows))
    return _grids[1]


def find_grid(lat: float, lng: float) -> tuple[int, int] | None:
    """(grid id, unit id) of the smallest grid containing the point (nested grids: the finest)."""
    best: tuple[float, int, int] | None = None
    for grid_id, unit_id, text in _grid_rows():
        parsed = _parse(text) if text else None
        if parsed is None:
            continue
        rings, (x0, y0, x1, y1), area = parsed
        if not (x0 <= lng <= x1 and y0 <= lat <= y1) or (best is not None and area >= best[0]):
            continue
        if any(contains(poly, lat, lng) for poly in rings):
            best = (area, grid_id, unit_id)
    return (best[1], best[2]) if best else None


def find_road(text: str) -> tuple[int, int] | None:
    """(road id, chief unit id) of the longest road name written in the text."""
    key = normalize_name(text)
    if not key:
        return None
    best: tuple[int, int, int] | None = None
    for road_id, name, chief_unit_id in Road.objects.values_list("id", "name", "chief_unit_id"):
        name_key = normalize_name(name)
        if len(name_key) >= 2 and name_key in key and (best is None or len(name_key) > best[0]):
            best = (len(name_key), road_id, chief_unit_id)
    return (best[1], best[2]) if best else None


Ring = Sequence[Sequence[float]]  # [[lng, lat], ...] as GeoJSON writes it
Polygon = Sequence[Ring]  # outer ring, then holes


def polygons(geometry: Any) -> list[Polygon]:
    """The polygons of a GeoJSON Polygon, MultiPolygon, Feature or FeatureCollection (or a bare
    ring / list of rings as some spreadsheets store them); [] for anything unreadable."""
    if isinstance(geometry, dict):
        kind = geometry.get("type")
        if kind == "Feature":
            return polygons(geometry.get("geometry"))
        if kind == "FeatureCollection":
            return [p for feature in geometry.get("features") or [] for p in polygons(feature)]
        if kind == "Polygon":
            return _valid([geometry.get("coordinates")])
        if kind == "MultiPolygon":
            return _valid(geometry.get("coordinates") or [])
        return []
    if isinstance(geometry, list) and geometry:
        if _is_point(geometry[0]):
            return _valid([[geometry]])
        return _valid([geometry])
    return []


def _is_point(value: Any) -> bool:
    return (
        isinstance(value, (list, tuple))
        and len(value) >= 2
        and all(isinstance(v, (int, float)) for v in value[:2])
    )


def _valid(candidates: Iterable[Any]) -> list[Polygon]:
    result = []
    for poly in candidates:
        if (
            isinstance(poly, list)
            and poly
            and all(
                isinstance(ring, list) and len(ring) >= 3 and all(_is_point(p) for p in ring) for ring in poly
            )
        ):
            result.append(poly)
    return result


def contains(polygon: Polygon, lat: float, lng: float) -> bool:
    """Inside the outer ring and outside every hole (ray casting; edges count as inside)."""
    if not _in_ring(polygon[0], lat, lng):
        return False
    return not any(_in_ring(hole, lat, lng, edge_inside=False) for hole in polygon[1:])


def _in_ring(ring: Ring, lat: float, lng: float, edge_inside: bool = True) -> bool:
    inside = False
    n = len(ring)
    for i in range(n):
        x1, y1 = ring[i][0], ring[i][1]
        x2, y2 = ring[(i + 1) % n][0], ring[(i + 1) % n][1]
        if _on_segment(x1, y1, x2, y2, lng, lat):
            return edge_inside
        if (y1 > lat) != (y2 > lat):
            x_cross = x1 + (lat - y1) * (x2 - x1) / (y2 - y1)
            if lng < x_cross:
                inside = not inside
    return inside


def _on_segment(x1: float, y1: float, x2: float, y2: float, x: float, y: float) -> bool:
    cross = (x2 - x1) * (y - y1) - (y2 - y1) * (x - x1)
    if abs(cross) > 1e-12:
        return False
    return min(x1, x2) - 1e-12 <= x <= max(x1, x2) + 1e-12 and min(y1, y2) - 1e-12 <= y <= max(y1, y2) + 1e-12


def _ring_area(ring: Ring) -> float:
    return (
        sum(
            ring[i][0] * ring[(i + 1) % len(ring)][1] - ring[(i + 1) % len(ring)][0] * ring[i][1]
            for i in range(len(ring))
        )
        / 2
    )
