"""The GPS position a camera wrote into a photo's EXIF (WGS-84, as phones record it)."""

from __future__ import annotations

import io
import math

from PIL import Image

_GPS_IFD = 0x8825
_LAT_REF, _LAT, _LNG_REF, _LNG = 1, 2, 3, 4


def _degrees(value: object) -> float | None:
    try:
        d, m, s = (float(part) for part in value)  # IFDRational converts; a bad tuple raises
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    result = d + m / 60.0 + s / 3600.0
    return result if math.isfinite(result) else None


def gps_of(image: Image.Image) -> tuple[float, float] | None:
    """(lat, lng) from the EXIF GPS block, or None when absent, partial or impossible."""
    try:
        gps = image.getexif().get_ifd(_GPS_IFD)
    except (OSError, ValueError, KeyError, SyntaxError, TypeError):
        return None
    if not gps or _LAT not in gps or _LNG not in gps:
        return None
    lat, lng = _degrees(gps[_LAT]), _degrees(gps[_LNG])
    if lat is None or lng is None:
        return None
    if str(gps.get(_LAT_REF, "N")).strip("\x00 ").upper() == "S":
        lat = -lat
    if str(gps.get(_LNG_REF, "E")).strip("\x00 ").upper() == "W":
        lng = -lng
    if not (-90 <= lat <= 90 and -180 <= lng <= 180) or (abs(lat) < 1e-6 and abs(lng) < 1e-6):
        return None  # (0, 0) is what a phone writes without a fix
    return lat, lng


def gps_from_bytes(data: bytes) -> tuple[float, float] | None:
    with Image.open(io.BytesIO(data)) as image:
        return gps_of(image)
