"""The app's configurable defaults, overridable in settings (DOMAIN.md: numbers are defaults)."""

from __future__ import annotations

from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    # A unit is "well rectified" (整改较好) at or above this rectification rate with nothing overdue.
    "BULLETIN_GOOD_RATE": 90.0,
    # A unit is "not rectified" (整改未落实) below this rate, or with any overdue problem.
    "BULLETIN_POOR_RATE": 60.0,
    # A bulletin lists at most this many problems: beyond it, narrow the period or the street.
    "BULLETIN_MAX_PROBLEMS": 5000,
    # Photos (before/after) embedded, in all; each scaled down to this many pixels on its long side.
    "BULLETIN_MAX_PHOTOS": 400,
    # 400 px fills the 6.5 cm a photo gets on the page at about 150 dpi, and lets the JPEG
    # decoder read a 1600 px display copy at a quarter of its size (much faster).
    "BULLETIN_PHOTO_SIDE": 400,
    "BULLETIN_PHOTO_THREADS": 4,
    # The longest period one bulletin may cover.
    "BULLETIN_MAX_DAYS": 366,
    # A job still "running" after this many minutes is taken to have died with its worker.
    "BULLETIN_STALE_MINUTES": 15,
}


def get(name: str) -> Any:
    return getattr(settings, name, DEFAULTS[name])
