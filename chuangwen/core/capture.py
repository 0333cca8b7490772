"""Time and place of capture for entries made offline (docs/offline.md).

A queued entry says when it was captured (`captured_at`, ISO 8601 with offset) and how precise
its GPS fix was (`gps_accuracy`, metres). The server keeps the capture time beside the time it
received the entry, and its checks use the capture time. A clock ahead of the server by more
than the allowed skew is not believed (the receipt time is used); an entry older than
OFFLINE_MAX_CAPTURE_DAYS is refused with the reason, so the office sees it rather than a stale
entry scoring silently."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from chuangwen.core.errors import DomainError

CLOCK_SKEW = dt.timedelta(minutes=5)


def captured_at(value: Any, now: dt.datetime | None = None) -> dt.datetime:
    """The capture time sent with an entry, or `now` when there is none (an online save)."""
    now = now or timezone.now()
    text = value.isoformat() if isinstance(value, dt.datetime) else str(value or "").strip()
    if not text:
        return now
    try:
        moment = parse_datetime(text)
    except ValueError:
        moment = None
    if moment is None:
        raise DomainError(_("The capture time %(value)s is not a date and time.") % {"value": text[:40]})
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    if moment > now + CLOCK_SKEW:
        return now  # the phone's clock is ahead: its time is not evidence
    if now - moment > dt.timedelta(days=settings.OFFLINE_MAX_CAPTURE_DAYS):
        raise DomainError(
            _("Captured more than %(n)d days ago: the office must enter it.")
            % {"n": settings.OFFLINE_MAX_CAPTURE_DAYS}
        )
    return moment


def accuracy(value: Any) -> float | None:
    """A GPS fix's accuracy in metres (None when absent or not a sensible number)."""
    try:
        metres = float(value)
    except (TypeError, ValueError):
        return None
    if not math.isfinite(metres) or metres < 0 or metres > 100_000:
        return None
    return round(metres, 1)
