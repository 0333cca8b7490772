"""Dates as official documents write them (党政机关公文, GB/T 9704): 2026年12月1日, and a span
as 2026年12月1日至7日 (the end drops what it shares with the start). In the English interface
the same shapes read 2026-12-1 and 7."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import pgettext


def official_date(day: dt.date) -> str:
    return _("%(year)d-%(month)d-%(day)d") % {"year": day.year, "month": day.month, "day": day.day}


def official_span(start: dt.date, end: dt.date) -> tuple[str, str]:
    """(start, end) for "%(start)s至%(end)s": the end without the year (and month) it shares."""
    if start.year != end.year:
        return official_date(start), official_date(end)
    if start.month != end.month:
        return official_date(start), pgettext("month and day", "%(month)d-%(day)d") % {
            "month": end.month,
            "day": end.day,
        }
    return official_date(start), pgettext("day of the month", "%(day)d") % {"day": end.day}
