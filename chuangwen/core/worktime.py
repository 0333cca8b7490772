"""The working-time calendar: deadlines in continuous hours, working hours or working days.

Pure functions over a `WorkCalendar` value; no Django and no app imports, so services,
jobs and benchmarks can all use it. The calendar's data (public holidays and the weekend
days worked in exchange, 调休) comes from the database in `problems.calendar`.

Rules, as 数字化城市管理 case tables count them:
- working hours are 8:00–12:00 and 14:00–18:00 local time (configurable periods);
- a working day is a weekday that is not a public holiday, or a weekend day listed as an
  adjusted working day (调休上班);
- "N working hours" counts only time inside working periods, starting from the report time
  (or the next period start when reported outside working time);
- "N working days" is N times the length of one working day in working hours, so one
  working day from Monday 10:00 ends on Tuesday 10:00 (and skips weekends and holidays);
- "N hours" is continuous time (立行立改 = 24 h, 井盖 = 3 h).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

HOURS = "hours"
WORKING_HOURS = "working_hours"
WORKING_DAYS = "working_days"
TIME_UNITS = (HOURS, WORKING_HOURS, WORKING_DAYS)

DEFAULT_PERIODS: tuple[tuple[dt.time, dt.time], ...] = (
    (dt.time(8, 0), dt.time(12, 0)),
    (dt.time(14, 0), dt.time(18, 0)),
)
# A search for the next working period gives up after this many days: a calendar that
# declares a whole year a holiday is a data error, not a reason to loop forever.
_MAX_SCAN_DAYS = 400


@dataclass(frozen=True)
class WorkCalendar:
    """Which days are worked and which hours of a worked day count."""

    holidays: frozenset[dt.date] = field(default_factory=frozenset)
    workdays: frozenset[dt.date] = field(default_factory=frozenset)  # 调休: weekend days worked
    periods: tuple[tuple[dt.time, dt.time], ...] = DEFAULT_PERIODS

    @classmethod
    def build(
        cls,
        holidays: Iterable[dt.date] = (),
        workdays: Iterable[dt.date] = (),
        periods: tuple[tuple[dt.time, dt.time], ...] = DEFAULT_PERIODS,
    ) -> WorkCalendar:
        return cls(frozenset(holidays), frozenset(workdays), periods)

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    @property
    def hours_per_day(self) -> float:
        return sum(_seconds(start, end) for start, end in self.periods) / 3600


def _seconds(start: dt.time, end: dt.time) -> float:
    return (dt.datetime.combine(dt.date.min, end) - dt.datetime.combine(dt.date.min, start)).total_seconds()


def _local(moment: dt.datetime, tz: dt.tzinfo | None) -> dt.datetime:
    if moment.tzinfo is None:
        raise ValueError("working-time arithmetic needs an aware datetime")
    return moment.astimezone(tz) if tz is not None else moment


def _periods_from(calendar: WorkCalendar, moment: dt.datetime):
    """Working periods (start, end) as aware datetimes, from the one containing `moment` on."""
    tz = moment.tzinfo
    day = moment.date()
    for _ in range(_MAX_SCAN_DAYS):
        if calendar.is_working_day(day):
            for start, end in calendar.periods:
                p_start = dt.datetime.combine(day, start, tzinfo=tz)
                p_end = dt.datetime.combine(day, end, tzinfo=tz)
                if p_end <= moment:
                    continue
                yield max(p_start, moment), p_end
        day += dt.timedelta(days=1)
        moment = dt.datetime.combine(day, dt.time(0), tzinfo=tz)
    raise ValueError("no working time found within a year; check the holiday calendar")


def add_working_hours(
    start: dt.datetime, hours: float, calendar: WorkCalendar, tz: dt.tzinfo | None = None
) -> dt.datetime:
    """The moment `hours` of working time after `start` (local time in `tz`)."""
    if hours < 0:
        raise ValueError("hours must not be negative")
    moment = _local(start, tz)
    remaining = dt.timedelta(hours=hours)
    if not remaining:
        return moment
    for p_start, p_end in _periods_from(calendar, moment):
        available = p_end - p_start
        if remaining <= available:
            return p_start + remaining
        remaining -= available
    raise AssertionError("unreachable")  # _periods_from raises before running dry


def add_working_days(
    start: dt.datetime, days: float, calendar: WorkCalendar, tz: dt.tzinfo | None = None
) -> dt.datetime:
    """`days` working days after `start`, each as long as one working day's hours."""
    return add_working_hours(start, days * calendar.hours_per_day, calendar, tz)


def working_hours_between(
    start: dt.datetime, end: dt.datetime, calendar: WorkCalendar, tz: dt.tzinfo | None = None
) -> float:
    """Working hours from `start` to `end` (negative when end is before start)."""
    a, b = _local(start, tz), _local(end, tz)
    if b < a:
        return -working_hours_between(b, a, calendar, tz)
    total = 0.0
    for p_start, p_end in _periods_from(calendar, a):
        if p_start >= b:
            break
        total += (min(p_end, b) - p_start).total_seconds()
        if p_end >= b:
            break
    return total / 3600


def deadline(
    start: dt.datetime, amount: float, unit: str, calendar: WorkCalendar, tz: dt.tzinfo | None = None
) -> dt.datetime:
    """The deadline `amount` `unit`s after `start`; unit is hours, working_hours or working_days."""
    if unit == HOURS:
        return _local(start, tz) + dt.timedelta(hours=amount)
    if unit == WORKING_HOURS:
        return add_working_hours(start, amount, calendar, tz)
    if unit == WORKING_DAYS:
        return add_working_days(start, amount, calendar, tz)
    raise ValueError(f"unknown time unit {unit!r}; use one of {', '.join(TIME_UNITS)}")
