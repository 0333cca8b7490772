"""The official holiday arrangement of a year, from the maintained `holidays` package.

The State Council publishes each year's public holidays and the weekend days worked in
exchange (调休) every November; the `holidays` package (its China calendar) carries them for
the years published so far, and computes the lunar festivals for any year. The working-day
calendar (CalendarDay) is seeded from it; the office's own edits always win (a date the office
has kept is never overwritten), and a year the package has no arrangement for is said so on
the calendar page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

WORKDAY_NAME = "调休上班"


@dataclass(frozen=True)
class OfficialDay:
    date: dt.date
    kind: str  # "holiday" or "workday", as CalendarDayKind
    name: str


def _china(year: int):
    import holidays

    return holidays.China(years=year, language="zh_CN")


def latest_official_year() -> int:
    """The last year whose arrangement (with its 调休 working days) the package knows."""
    calendar = _china(dt.date.today().year)
    return max(day.year for day in calendar.weekend_workdays)


def has_official_data(year: int) -> bool:
    """Whether the package knows the year's published arrangement (not only its festivals)."""
    return year <= latest_official_year()


def official_days(year: int) -> list[OfficialDay]:
    """The year's days off and adjusted working days, or [] when the year is not published."""
    if not has_official_data(year):
        return []
    calendar = _china(year)
    days = [OfficialDay(day, "holiday", name[:40]) for day, name in calendar.items() if day.year == year]
    days += [
        OfficialDay(day, "workday", WORKDAY_NAME) for day in calendar.weekend_workdays if day.year == year
    ]
    return sorted(days, key=lambda d: d.date)
