"""Positions along a road line: projection, chainage and gaps, in metres. Pure functions.

A road's line is a list of (lng, lat) WGS-84 vertices, as in a GeoJSON LineString. Distances
along one road (a few kilometres) are computed in a local equirectangular projection centred on
the line: the error against a geodesic is far below a metre at city scale, and it needs no
geometry library.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

EARTH_RADIUS_M = 6_371_008.8


class LineError(ValueError):
    """A line that cannot be used; the message is shown to the user as is."""


@dataclass(frozen=True)
class Line:
    """A polyline projected to local metres, ready for many projections."""

    xs: tuple[float, ...]
    ys: tuple[float, ...]
    cumulative: tuple[float, ...]  # chainage (m) at each vertex
    lat0: float
    lng0: float
    kx: float  # metres per degree of longitude at lat0
    ky: float  # metres per degree of latitude

    @property
    def length_m(self) -> float:
        return self.cumulative[-1]

    def to_xy(self, lat: float, lng: float) -> tuple[float, float]:
        return (lng - self.lng0) * self.kx, (lat - self.lat0) * self.ky

    def project(self, lat: float, lng: float) -> tuple[float, float]:
        """(chainage along the line, distance off the line), both in metres."""
        px, py = self.to_xy(lat, lng)
        best_off = math.inf
        best_at = 0.0
        xs, ys, cum = self.xs, self.ys, self.cumulative
        for i in range(len(xs) - 1):
            ax, ay, bx, by = xs[i], ys[i], xs[i + 1], ys[i + 1]
            dx, dy = bx - ax, by - ay
            seg2 = dx * dx + dy * dy
            t = 0.0 if seg2 == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / seg2))
            qx, qy = ax + t * dx, ay + t * dy
            off = math.hypot(px - qx, py - qy)
            if off < best_off:
                best_off = off
                best_at = cum[i] + t * math.sqrt(seg2)
        return best_at, best_off


def parse_coordinates(value: object) -> list[tuple[float, float]]:
    """(lng, lat) vertices from a GeoJSON LineString, a Feature holding one, or a bare list."""
    if isinstance(value, dict):
        if value.get("type") == "Feature":
            value = value.get("geometry") or {}
        if isinstance(value, dict):
            if value.get("type") != "LineString":
                raise LineError(_("The geometry must be a GeoJSON LineString."))
            value = value.get("coordinates")
    if not isinstance(value, list | tuple) or len(value) < 2:
        raise LineError(_("A road line needs at least two points."))
    points: list[tuple[float, float]] = []
    for vertex in value:
        try:
            lng, lat = float(vertex[0]), float(vertex[1])
        except (TypeError, ValueError, IndexError):
            raise LineError(_("Each point of a line is [longitude, latitude].")) from None
        if not (math.isfinite(lng) and math.isfinite(lat) and -180 <= lng <= 180 and -90 <= lat <= 90):
            raise LineError(_("A point of the line is outside the valid range of coordinates."))
        points.append((lng, lat))
    return points


def build(coordinates: Sequence[Sequence[float]]) -> Line:
    """A Line from (lng, lat) vertices."""
    points = parse_coordinates(list(coordinates))
    lat0 = sum(p[1] for p in points) / len(points)
    lng0 = sum(p[0] for p in points) / len(points)
    ky = math.pi * EARTH_RADIUS_M / 180.0
    kx = ky * math.cos(math.radians(lat0))
    xs = tuple((lng - lng0) * kx for lng, _lat in points)
    ys = tuple((lat - lat0) * ky for _lng, lat in points)
    cumulative = [0.0]
    for i in range(1, len(xs)):
        cumulative.append(cumulative[-1] + math.hypot(xs[i] - xs[i - 1], ys[i] - ys[i - 1]))
    return Line(xs, ys, tuple(cumulative), lat0, lng0, kx, ky)


@dataclass(frozen=True)
class Gap:
    start_m: float
    end_m: float

    @property
    def length_m(self) -> float:
        return self.end_m - self.start_m


def gaps(length_m: float, positions: Iterable[float], max_gap_m: float) -> list[Gap]:
    """Stretches longer than `max_gap_m` with no position in them, from the start of the line to
    its end (a road with nothing on it is one gap of its whole length)."""
    marks = sorted(min(max(p, 0.0), length_m) for p in positions)
    found: list[Gap] = []
    previous = 0.0
    for mark in [*marks, length_m]:
        if mark - previous > max_gap_m:
            found.append(Gap(previous, mark))
        previous = mark
    return found


def point_at(line: Line, chainage_m: float) -> tuple[float, float]:
    """(lat, lng) of the point at a chainage, to draw a gap on the map."""
    cum = line.cumulative
    at = min(max(chainage_m, 0.0), cum[-1])
    for i in range(len(cum) - 1):
        if at <= cum[i + 1] or i == len(cum) - 2:
            seg = cum[i + 1] - cum[i]
            t = 0.0 if seg == 0 else (at - cum[i]) / seg
            x = line.xs[i] + t * (line.xs[i + 1] - line.xs[i])
            y = line.ys[i] + t * (line.ys[i + 1] - line.ys[i])
            return line.lat0 + y / line.ky, line.lng0 + x / line.kx
    return line.lat0, line.lng0
