"""The figures offices read: per unit (registered volunteers against the population, active in
the last 90 days, hours per month, Friday service days held) and per volunteer (hours, stars).

Unit figures read ServiceRecord by its copied `volunteer_unit` and `day` (indexed together with
the status), so a street's figures over millions of records never join the volunteers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from chuangwen.org.models import Unit
from chuangwen.volunteers.models import (
    Activity,
    ActivityStatus,
    RecordStatus,
    ServiceRecord,
    UnitPopulation,
    Volunteer,
    hours_to_next_star,
    star_level,
)

ACTIVE_DAYS = 90
FRIDAY = 4  # date.weekday()


@dataclass
class UnitFigures:
    unit: Unit
    registered: int
    population: int | None
    active_90: int
    hours_total: Decimal
    months: list[tuple[dt.date, Decimal, int]] = field(default_factory=list)
    friday_days: int = 0
    activities: int = 0

    @property
    def ratio(self) -> float | None:
        """Registered volunteers as a percentage of the resident population."""
        if not self.population:
            return None
        return round(100.0 * self.registered / self.population, 2)


def unit_figures(unit: Unit, today: dt.date | None = None, months: int = 12) -> UnitFigures:
    """The unit's figures, its subtree included."""
    today = today or timezone.localdate()
    unit_ids = Unit.objects.under(unit).values("pk")
    registered = Volunteer.objects.filter(unit__in=unit_ids, is_active=True).count()
    population = UnitPopulation.objects.filter(unit=unit).values_list("population", flat=True).first()
    confirmed = ServiceRecord.objects.filter(volunteer_unit__in=unit_ids, status=RecordStatus.CONFIRMED)
    active = (
        confirmed.filter(day__gte=today - dt.timedelta(days=ACTIVE_DAYS))
        .values("volunteer_id")
        .distinct()
        .count()
    )
    first_month = (today.replace(day=1) - dt.timedelta(days=31 * (months - 1))).replace(day=1)
    rows = (
        confirmed.filter(day__gte=first_month)
        .annotate(month=TruncMonth("day"))
        .values("month")
        .annotate(hours=Sum("hours"), people=Count("volunteer_id", distinct=True))
        .order_by("month")
    )
    by_month = [(r["month"], r["hours"] or Decimal("0"), r["people"]) for r in rows]
    total = confirmed.aggregate(s=Sum("hours"))["s"] or Decimal("0")
    starts = Activity.objects.filter(
        unit__in=unit_ids,
        starts_at__date__gte=first_month,
    ).exclude(status=ActivityStatus.CANCELLED)
    days = {timezone.localtime(s).date() for s in starts.values_list("starts_at", flat=True)}
    return UnitFigures(
        unit=unit,
        registered=registered,
        population=population,
        active_90=active,
        hours_total=total,
        months=by_month,
        friday_days=sum(1 for d in days if d.weekday() == FRIDAY),
        activities=starts.count(),
    )


@dataclass
class VolunteerHours:
    volunteer: Volunteer
    total: Decimal
    stars: int
    to_next: Decimal | None
    confirmed_hours: Decimal
    activities: int
    pending: int
    by_year: list[tuple[int, Decimal]]


def volunteer_hours(volunteer: Volunteer) -> VolunteerHours:
    """A volunteer's hours: the kept total (imported + confirmed), stars, and per year."""
    mine = ServiceRecord.objects.filter(volunteer=volunteer)
    confirmed = mine.filter(status=RecordStatus.CONFIRMED)
    agg = confirmed.aggregate(s=Sum("hours"), n=Count("id"))
    years: dict[int, Decimal] = {}
    for day, hours in confirmed.values_list("day", "hours"):
        if day is not None and hours is not None:
            years[day.year] = years.get(day.year, Decimal("0")) + hours
    total = volunteer.total_hours
    return VolunteerHours(
        volunteer=volunteer,
        total=total,
        stars=star_level(total),
        to_next=hours_to_next_star(total),
        confirmed_hours=agg["s"] or Decimal("0"),
        activities=agg["n"] or 0,
        pending=mine.filter(status=RecordStatus.SIGNED_OUT).count(),
        by_year=sorted(years.items(), reverse=True),
    )


def as_dict(figures: UnitFigures) -> dict[str, Any]:
    return {
        "unit_id": figures.unit.pk,
        "unit_name": figures.unit.name,
        "registered": figures.registered,
        "population": figures.population,
        "ratio_percent": figures.ratio,
        "active_90_days": figures.active_90,
        "hours_total": float(figures.hours_total),
        "activities_12_months": figures.activities,
        "friday_service_days_12_months": figures.friday_days,
        "months": [
            {"month": m.strftime("%Y-%m"), "hours": float(h), "volunteers": n} for m, h, n in figures.months
        ],
    }
