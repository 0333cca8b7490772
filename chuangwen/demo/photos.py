"""Small generated JPEG "photos" for the demo: a street scene drawn from a seed, with the EXIF
capture time (and position) a phone would write, so the evidence checks have facts to test."""

from __future__ import annotations

import datetime as dt
import io
import random
from fractions import Fraction

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

EXIF_IFD = 0x8769
GPS_IFD = 0x8825
DATETIME_ORIGINAL = 0x9003
SIZE = (320, 240)


def _dms(value: float) -> tuple[Fraction, Fraction, Fraction]:
    degrees = int(value)
    minutes_full = (value - degrees) * 60
    minutes = int(minutes_full)
    seconds = Fraction(round((minutes_full - minutes) * 60 * 100), 100)
    return Fraction(degrees), Fraction(minutes), seconds


def jpeg(
    seed: int, taken_at: dt.datetime | None = None, position: tuple[float, float] | None = None
) -> bytes:
    """A 320×240 JPEG drawn from `seed` (different seeds look different to a perceptual hash)."""
    rng = random.Random(seed)  # noqa: S311 - pictures, not secrets
    sky = (rng.randint(120, 200), rng.randint(160, 220), rng.randint(200, 255))
    image = Image.new("RGB", SIZE, sky)
    draw = ImageDraw.Draw(image)
    horizon = rng.randint(100, 160)
    draw.rectangle((0, horizon, SIZE[0], SIZE[1]), fill=(rng.randint(60, 120),) * 3)
    for _ in range(rng.randint(3, 7)):  # buildings
        x = rng.randint(-20, SIZE[0])
        w, h = rng.randint(30, 90), rng.randint(40, horizon)
        colour = (rng.randint(90, 230), rng.randint(90, 230), rng.randint(90, 230))
        draw.rectangle((x, horizon - h, x + w, horizon), fill=colour, outline=(40, 40, 40))
    for _ in range(rng.randint(2, 6)):  # people and trees
        x, y = rng.randint(0, SIZE[0]), rng.randint(horizon, SIZE[1] - 20)
        colour = (rng.randint(0, 255), rng.randint(0, 120), rng.randint(0, 255))
        draw.ellipse((x, y, x + rng.randint(8, 30), y + rng.randint(20, 50)), fill=colour)
    exif = Image.Exif()
    if taken_at is not None:
        exif.get_ifd(EXIF_IFD)[DATETIME_ORIGINAL] = taken_at.strftime("%Y:%m:%d %H:%M:%S")
    if position is not None:
        lat, lng = position
        gps = exif.get_ifd(GPS_IFD)
        gps.update({1: "N", 2: _dms(lat), 3: "E", 4: _dms(lng)})
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80, exif=exif)
    return out.getvalue()


def upload(name: str, seed: int, taken_at: dt.datetime | None = None,
           position: tuple[float, float] | None = None) -> SimpleUploadedFile:  # fmt: skip
    """The photo as a browser would upload it."""
    return SimpleUploadedFile(name, jpeg(seed, taken_at, position), content_type="image/jpeg")
