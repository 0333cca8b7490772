"""The office's edits to the working-day calendar: a holiday or an adjusted working day added,
changed or removed. Deadlines count working hours over this calendar (problems.calendar), so
every edit is audited and each process's cached copy is dropped once the edit is committed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.http import HttpRequest

from chuangwen.audit.services import log_action
from chuangwen.problems.calendar import forget_calendar
from chuangwen.problems.holiday_source import official_days
from chuangwen.problems.models import CalendarDay


def save_calendar_day(
    actor: Any, date: dt.date, kind: str, name: str, request: HttpRequest | None = None
) -> CalendarDay:
    """Set the day's kind and name (a new row, or the one already kept for that date)."""
    with transaction.atomic():
        existing = CalendarDay.objects.select_for_update().filter(date=date).first()
        day, _created = CalendarDay.objects.update_or_create(date=date, defaults={"kind": kind, "name": name})
        changes: dict[str, Any] = {"kind": day.kind, "name": day.name}
        if existing is not None and (existing.kind, existing.name) != (day.kind, day.name):
            changes["before"] = {"kind": existing.kind, "name": existing.name}
        log_action(actor, "problems.calendar.save", day, changes, request=request)
        transaction.on_commit(forget_calendar)
    return day


def remove_calendar_day(actor: Any, pk: int, request: HttpRequest | None = None) -> CalendarDay | None:
    """Remove the day (None when it is already gone: removing twice is not an error)."""
    with transaction.atomic():
        day = CalendarDay.objects.select_for_update().filter(pk=pk).first()
        if day is None:
            return None
        log_action(actor, "problems.calendar.delete", day, {"date": day.date.isoformat()}, request=request)
        day.delete()
        transaction.on_commit(forget_calendar)
    return day


def load_official_year(actor: Any, year: int, request: HttpRequest | None = None) -> int:
    """Add the year's official days (holiday_source) that the calendar does not hold yet; the
    days the office has kept stay as they are. Returns the number of days added."""
    days = official_days(year)
    with transaction.atomic():
        kept = set(
            CalendarDay.objects.select_for_update().filter(date__year=year).values_list("date", flat=True)
        )
        new = [CalendarDay(date=d.date, kind=d.kind, name=d.name) for d in days if d.date not in kept]
        CalendarDay.objects.bulk_create(new)
        log_action(
            actor,
            "problems.calendar.load",
            None,
            {"year": year, "added": len(new), "kept": len(kept)},
            request=request,
            object_repr=str(year),
        )
        transaction.on_commit(forget_calendar)
    return len(new)
