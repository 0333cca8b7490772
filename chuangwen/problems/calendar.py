"""The working-time calendar from the office's holiday table, and problem deadlines."""

from __future__ import annotations

import datetime as dt
import time

from django.utils import timezone

from chuangwen.core import worktime
from chuangwen.problems import conf
from chuangwen.problems.models import CalendarDay, CalendarDayKind, ProblemCategory, Urgency

# The holiday table changes once a year; each process keeps what it read for a minute rather
# than querying it for every problem filed. An edit on this process clears it at once; other
# processes see it within CACHE_SECONDS.
CACHE_SECONDS = 60.0
_cached: tuple[float, worktime.WorkCalendar] | None = None


def work_calendar(fresh: bool = False) -> worktime.WorkCalendar:
    """The calendar as the office keeps it (a few dozen rows a year)."""
    global _cached
    now = time.monotonic()
    if not fresh and _cached is not None and now - _cached[0] < CACHE_SECONDS:
        return _cached[1]
    holidays, workdays = [], []
    for day, kind in CalendarDay.objects.values_list("date", "kind"):
        (workdays if kind == CalendarDayKind.WORKDAY else holidays).append(day)
    calendar = worktime.WorkCalendar.build(holidays, workdays)
    _cached = (now, calendar)
    return calendar


def forget_calendar() -> None:
    global _cached
    _cached = None


def time_limit(category: ProblemCategory, urgency: str) -> tuple[float, str]:
    """(amount, unit) for a problem: 立行立改 is 24 continuous hours; urgent halves the
    category's limit; a category without a limit gets the default working days."""
    if urgency == Urgency.IMMEDIATE:
        return float(conf.get("PROBLEM_IMMEDIATE_HOURS")), worktime.HOURS
    limit = category.limit()
    amount, unit = (
        (float(limit[0]), limit[1])
        if limit
        else (float(conf.get("PROBLEM_DEFAULT_DAYS")), worktime.WORKING_DAYS)
    )
    if urgency == Urgency.URGENT:
        amount = amount / 2
    return amount, unit


def compute_deadline(
    category: ProblemCategory,
    urgency: str,
    start: dt.datetime,
    calendar: worktime.WorkCalendar | None = None,
) -> dt.datetime:
    amount, unit = time_limit(category, urgency)
    if unit == worktime.HOURS:  # continuous time needs no calendar (and no query)
        calendar = calendar or worktime.WorkCalendar()
    return worktime.deadline(
        start, amount, unit, calendar or work_calendar(), timezone.get_current_timezone()
    )


def working_hours_between(
    start: dt.datetime, end: dt.datetime, calendar: worktime.WorkCalendar | None = None
) -> float:
    return worktime.working_hours_between(
        start, end, calendar or work_calendar(), timezone.get_current_timezone()
    )
