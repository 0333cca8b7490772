"""Is a reported location inside the territory the platform serves?

An app wired to the wrong city, a phone with a stale fix or a test sending New York's
coordinates would otherwise file problems nobody here can rectify. The territory is the
`TERRITORY_BOUNDS` setting ("south,west,north,east" in WGS-84 degrees) when set, else the box
around every grid boundary on record; either is widened by `TERRITORY_MARGIN_KM` (points just
over a boundary, GPS error). With neither, mainland China's box is the last line.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.utils.translation import gettext as _

from chuangwen.core.geo import PositionError, out_of_china
from chuangwen.problems import conf, routing


@dataclass(frozen=True)
class Bounds:
    south: float
    west: float
    north: float
    east: float

    def widened(self, km: float) -> Bounds:
        d_lat = km / 111.0
        d_lng = km / (111.0 * max(0.1, math.cos(math.radians((self.south + self.north) / 2))))
        return Bounds(self.south - d_lat, self.west - d_lng, self.north + d_lat, self.east + d_lng)

    def contains(self, lat: float, lng: float) -> bool:
        return self.south <= lat <= self.north and self.west <= lng <= self.east


def _configured() -> Bounds | None:
    raw = conf.get("TERRITORY_BOUNDS")
    if not raw:
        return None
    values = [float(x) for x in str(raw).replace("，", ",").split(",")] if isinstance(raw, str) else list(raw)
    return Bounds(*values)


def _from_grids() -> Bounds | None:
    boxes = []
    for _grid_id, _unit_id, text in routing._grid_rows():
        parsed = routing._parse(text)
        if parsed:
            boxes.append(parsed[1])  # (min lng, min lat, max lng, max lat)
    if not boxes:
        return None
    return Bounds(
        min(b[1] for b in boxes), min(b[0] for b in boxes), max(b[3] for b in boxes), max(b[2] for b in boxes)
    )


def bounds() -> Bounds | None:
    """The territory's box with its margin, or None when nothing says where the territory is."""
    found = _configured() or _from_grids()
    return found.widened(float(conf.get("TERRITORY_MARGIN_KM"))) if found else None


def check_inside(lat: float, lng: float) -> None:
    """PositionError (a message for the caller) when the location lies outside the territory."""
    box = bounds()
    inside = box.contains(lat, lng) if box else not out_of_china(lat, lng)
    if not inside:
        raise PositionError(
            _("The location %(lat)s, %(lng)s is outside the area this platform serves.")
            % {"lat": f"{lat:.5f}", "lng": f"{lng:.5f}"}
        )
