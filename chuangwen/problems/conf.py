"""The app's configurable defaults, read from settings (which read the environment).

Every number here is a default the office may change per deployment: DOMAIN.md treats time
limits, windows and card thresholds as configuration, never as constants.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    # A unit may return a problem (not force-assigned) within this many working hours.
    "PROBLEM_RETURN_WINDOW_HOURS": 8,
    # 立行立改: continuous hours.
    "PROBLEM_IMMEDIATE_HOURS": 24,
    # When a category has no time limit: working days.
    "PROBLEM_DEFAULT_DAYS": 5,
    # "Due soon" reminder this many continuous hours before the deadline.
    "PROBLEM_DUE_SOON_HOURS": 4,
    # Overdue by this many working days: a yellow card, then a red card, against the unit.
    "PROBLEM_YELLOW_CARD_DAYS": 3,
    "PROBLEM_RED_CARD_DAYS": 7,
    # Repetition: this many notices to one unit within the window → yellow card; this many
    # yellow cards within the window → red card.
    "PROBLEM_REPEAT_NOTICES": 3,
    "PROBLEM_REPEAT_YELLOWS": 2,
    "PROBLEM_REPEAT_WINDOW_DAYS": 30,
    # Failed verifications that put a problem under escalated supervision (提级督办).
    "PROBLEM_REWORK_ESCALATE": 3,
    # Possible duplicates offered at report time.
    "PROBLEM_DUPLICATE_RADIUS_M": 50,
    "PROBLEM_DUPLICATE_DAYS": 7,
    # The public report page: attempts per address per hour and per device per day.
    "PUBLIC_REPORTS_PER_IP_HOUR": 10,
    "PUBLIC_REPORTS_PER_DEVICE_DAY": 5,
    # Photos: pixels above this are refused (decompression bombs); display copies are this wide.
    "PHOTO_MAX_PIXELS": 50_000_000,
    "PHOTO_DISPLAY_SIDE": 1600,
    # Open311: sources whose problems are listed publicly by GET requests.
    "OPEN311_PUBLIC_SOURCES": ("citizen", "hotline_12345"),
    "OPEN311_JURISDICTION_ID": "",
    # Open311: identical POSTs (same key, service, location and description) within this many
    # minutes are one request retried, not new ones.
    "OPEN311_RETRY_MINUTES": 10,
    # Open311: attributes (declared in every service definition, see views/open311_format.py)
    # that a POST must carry, e.g. ("work_order_id",) for a hotline system's endpoint.
    "OPEN311_REQUIRED_ATTRIBUTES": (),
    # The territory served: "south,west,north,east" (WGS-84); empty = the grids' boundaries.
    "TERRITORY_BOUNDS": "",
    "TERRITORY_MARGIN_KM": 20,
}


def get(name: str) -> Any:
    return getattr(settings, name, DEFAULTS[name])
