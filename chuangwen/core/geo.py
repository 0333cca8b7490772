"""Coordinates: datums used by Chinese map apps, distances and sanity checks. Pure functions.

Positions are stored as WGS-84 (what a phone's GPS reports and what OpenStreetMap-style tiles
use). Chinese map apps (Amap/Gaode, Tencent, Google China) show GCJ-02, an obfuscated datum
offset by a few hundred metres; Baidu adds a further offset (BD-09). A point copied from one of
those apps must be converted before it is compared with a phone's GPS, or every check-in would
look 300-500 m away.

The GCJ-02 forward transform is the widely published one; the inverse has no closed form, so
`gcj02_to_wgs84` iterates the forward transform until the error is below a millimetre.
Outside mainland China GCJ-02 equals WGS-84 (the obfuscation is not applied there).

No Django app is imported here: only gettext for the messages shown to users.
"""

from __future__ import annotations

import math

from django.utils.translation import gettext as _

EARTH_RADIUS_M = 6_371_008.8  # mean Earth radius (IUGG), the usual choice for haversine
_GCJ_A = 6_378_245.0  # Krasovsky 1940 semi-major axis, as used by the GCJ-02 algorithm
_GCJ_EE = 0.00669342162296594323  # its first eccentricity squared
_BD_PI = math.pi * 3000.0 / 180.0

WGS84 = "wgs84"
GCJ02 = "gcj02"
BD09 = "bd09"
DATUMS = (WGS84, GCJ02, BD09)


class PositionError(ValueError):
    """A position that cannot be used; the message is shown to the user as is."""


def out_of_china(lat: float, lng: float) -> bool:
    """The rough bounding box inside which GCJ-02 differs from WGS-84."""
    return not (72.004 <= lng <= 137.8347 and 0.8293 <= lat <= 55.8271)


def _delta(lat: float, lng: float) -> tuple[float, float]:
    """The GCJ-02 offset (degrees of latitude, longitude) at a WGS-84 position."""
    x, y = lng - 105.0, lat - 35.0
    d_lat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    d_lng = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    common = (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    d_lat += common
    d_lng += common
    d_lat += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    d_lng += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    d_lat += (160.0 * math.sin(y / 12.0 * math.pi) + 320.0 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    d_lng += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    rad_lat = lat / 180.0 * math.pi
    magic = 1.0 - _GCJ_EE * math.sin(rad_lat) ** 2
    sqrt_magic = math.sqrt(magic)
    d_lat = (d_lat * 180.0) / ((_GCJ_A * (1.0 - _GCJ_EE)) / (magic * sqrt_magic) * math.pi)
    d_lng = (d_lng * 180.0) / (_GCJ_A / sqrt_magic * math.cos(rad_lat) * math.pi)
    return d_lat, d_lng


def wgs84_to_gcj02(lat: float, lng: float) -> tuple[float, float]:
    if out_of_china(lat, lng):
        return lat, lng
    d_lat, d_lng = _delta(lat, lng)
    return lat + d_lat, lng + d_lng


def gcj02_to_wgs84(lat: float, lng: float, tolerance_deg: float = 1e-9) -> tuple[float, float]:
    """Invert the GCJ-02 offset by fixed-point iteration (converges in a few steps, < 1 mm)."""
    if out_of_china(lat, lng):
        return lat, lng
    wgs_lat, wgs_lng = lat, lng
    for _step in range(30):
        g_lat, g_lng = wgs84_to_gcj02(wgs_lat, wgs_lng)
        err_lat, err_lng = g_lat - lat, g_lng - lng
        wgs_lat -= err_lat
        wgs_lng -= err_lng
        if abs(err_lat) < tolerance_deg and abs(err_lng) < tolerance_deg:
            break
    return wgs_lat, wgs_lng


def bd09_to_gcj02(lat: float, lng: float, tolerance_deg: float = 1e-10) -> tuple[float, float]:
    """The usual closed-form inverse is off by metres; refine it against the exact forward form."""
    x, y = lng - 0.0065, lat - 0.006
    z = math.sqrt(x * x + y * y) - 0.00002 * math.sin(y * _BD_PI)
    theta = math.atan2(y, x) - 0.000003 * math.cos(x * _BD_PI)
    g_lat, g_lng = z * math.sin(theta), z * math.cos(theta)
    for _step in range(30):
        b_lat, b_lng = gcj02_to_bd09(g_lat, g_lng)
        err_lat, err_lng = b_lat - lat, b_lng - lng
        g_lat -= err_lat
        g_lng -= err_lng
        if abs(err_lat) < tolerance_deg and abs(err_lng) < tolerance_deg:
            break
    return g_lat, g_lng


def gcj02_to_bd09(lat: float, lng: float) -> tuple[float, float]:
    z = math.sqrt(lng * lng + lat * lat) + 0.00002 * math.sin(lat * _BD_PI)
    theta = math.atan2(lat, lng) + 0.000003 * math.cos(lng * _BD_PI)
    return z * math.sin(theta) + 0.006, z * math.cos(theta) + 0.0065


def to_wgs84(lat: float, lng: float, datum: str) -> tuple[float, float]:
    """A position written in `datum` (wgs84, gcj02 or bd09) as WGS-84."""
    if datum == WGS84:
        return lat, lng
    if datum == GCJ02:
        return gcj02_to_wgs84(lat, lng)
    if datum == BD09:
        return gcj02_to_wgs84(*bd09_to_gcj02(lat, lng))
    raise PositionError(_("Unknown coordinate system “%(datum)s”.") % {"datum": datum})


def haversine_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in metres (good to ~0.5% — plenty for a 200 m check-in radius)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    d_lat = p2 - p1
    d_lng = math.radians(lng2 - lng1)
    a = math.sin(d_lat / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(d_lng / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def parse_position(lat: object, lng: object) -> tuple[float, float]:
    """A (lat, lng) pair from user input, or PositionError with a message a user understands.

    Refuses a missing position, text that is not a number, values outside ±90/±180, and
    (0, 0): that is what a phone reports when it has no fix, never a real place in China.
    """
    if lat in (None, "") or lng in (None, ""):
        raise PositionError(
            _("Your location is missing. Turn on location (GPS) for this site and try again.")
        )
    try:
        lat_f, lng_f = float(str(lat).strip()), float(str(lng).strip())
    except ValueError as exc:
        raise PositionError(
            _("The location is not a number: %(lat)s, %(lng)s.") % {"lat": lat, "lng": lng}
        ) from exc
    if not (math.isfinite(lat_f) and math.isfinite(lng_f)):
        raise PositionError(_("The location is not a number: %(lat)s, %(lng)s.") % {"lat": lat, "lng": lng})
    if not (-90.0 <= lat_f <= 90.0) or not (-180.0 <= lng_f <= 180.0):
        raise PositionError(
            _(
                "The location %(lat)s, %(lng)s is impossible: latitude must be within ±90 and longitude within ±180."
            )
            % {"lat": lat, "lng": lng}
        )
    if abs(lat_f) < 1e-6 and abs(lng_f) < 1e-6:
        raise PositionError(
            _("The phone reported no real location (0, 0). Wait for a GPS fix outdoors and try again.")
        )
    return lat_f, lng_f
