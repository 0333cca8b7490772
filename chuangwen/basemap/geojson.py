"""The territory as GeoJSON (WGS-84 [lng, lat]): grid boundaries and road centre lines.

Pure functions over rows already scoped by the caller; no query is made here.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

POLYGON_TYPES = ("Polygon", "MultiPolygon")


def polygon_geometry(value: Any) -> dict[str, Any] | None:
    """A Polygon/MultiPolygon geometry from what `Grid.polygon` holds: a geometry, a Feature, or
    a bare ring list. None when it is empty or not a polygon."""
    if not value:
        return None
    if isinstance(value, dict) and value.get("type") == "Feature":
        value = value.get("geometry")
    if isinstance(value, list):
        # a bare ring ([[lng, lat], ...]) or a list of rings
        if value and isinstance(value[0], list) and value[0] and isinstance(value[0][0], (int, float)):
            value = [value]
        return {"type": "Polygon", "coordinates": value}
    if isinstance(value, dict) and value.get("type") in POLYGON_TYPES and value.get("coordinates"):
        return {"type": value["type"], "coordinates": value["coordinates"]}
    return None


def validate_polygon(value: Any) -> dict[str, Any]:
    """A geometry fit to store as a grid boundary, or ValueError with a message for the user."""
    geometry = polygon_geometry(value)
    if geometry is None:
        raise ValueError(_("The boundary is not a polygon."))
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    for polygon in polygons:
        for ring in polygon:
            if len(ring) < 4:
                raise ValueError(_("A boundary ring needs at least four positions."))
            for position in ring:
                if not (isinstance(position, list) and len(position) >= 2):
                    raise ValueError(_("A boundary position is not a [longitude, latitude] pair."))
                lng, lat = position[0], position[1]
                if not (isinstance(lng, (int, float)) and isinstance(lat, (int, float))):
                    raise ValueError(_("A boundary position is not a [longitude, latitude] pair."))
                if not (-180 <= lng <= 180 and -90 <= lat <= 90):
                    raise ValueError(_("A boundary position lies outside the valid range."))
    return geometry


def grid_feature(grid: Any) -> dict[str, Any] | None:
    geometry = polygon_geometry(grid.polygon)
    if geometry is None:
        return None
    return {
        "type": "Feature",
        "geometry": geometry,
        "properties": {"kind": "grid", "id": grid.pk, "name": grid.name, "unit": grid.unit.name},
    }


def road_feature(line: Any) -> dict[str, Any] | None:
    coordinates = line.coordinates
    if not (isinstance(coordinates, list) and len(coordinates) >= 2):
        return None
    return {
        "type": "Feature",
        "geometry": {"type": "LineString", "coordinates": coordinates},
        "properties": {"kind": "road", "id": line.road_id, "name": line.road.name, "main": line.is_main},
    }


def collection(features: list[dict[str, Any] | None]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": [f for f in features if f is not None]}
