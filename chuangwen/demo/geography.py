"""Where the invented district lies: a rectangle of WGS-84 degrees cut into streets, communities
and grids, so grid boundaries route problems and points sit inside their community.

Each street or township is a column, each of its communities a row in the column, each grid a
vertical slice of its community. Nothing here matches a real map; it only has to be consistent.
"""

from __future__ import annotations

from chuangwen.demo.org import communities

ORIGIN = (27.80, 112.90)  # (lat, lng) of the district's south-west corner
AREA_WIDTH = 0.02  # degrees of longitude per street/township (~2 km)
COMMUNITY_HEIGHT = 0.01  # degrees of latitude per community (~1.1 km)

Box = tuple[float, float, float, float]  # south, west, north, east


def community_boxes() -> dict[str, Box]:
    """The box of every community and village, by unit code."""
    boxes: dict[str, Box] = {}
    columns: dict[str, int] = {}
    rows: dict[str, int] = {}
    for code, _name, _kind, area, _grids in communities():
        column = columns.setdefault(area, len(columns))
        row = rows.get(area, 0)
        rows[area] = row + 1
        south = ORIGIN[0] + row * COMMUNITY_HEIGHT
        west = ORIGIN[1] + column * AREA_WIDTH
        boxes[code] = (round(south, 6), round(west, 6),
                       round(south + COMMUNITY_HEIGHT, 6), round(west + AREA_WIDTH, 6))  # fmt: skip
    return boxes


def grid_box(community: Box, number: int, count: int) -> Box:
    """Grid `number` (1-based) of `count` slices of a community, west to east."""
    south, west, north, east = community
    step = (east - west) / count
    return south, round(west + (number - 1) * step, 6), north, round(west + number * step, 6)


def polygon(box: Box) -> dict:
    """A GeoJSON Polygon (lng, lat order, closed ring) of a box."""
    south, west, north, east = box
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


def spot(box: Box, x: float, y: float) -> tuple[float, float]:
    """(lat, lng) at fractions x (west→east) and y (south→north) of the box."""
    south, west, north, east = box
    return round(south + (north - south) * y, 6), round(west + (east - west) * x, 6)
