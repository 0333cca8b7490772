"""The working-day calendar seeded from the maintained holidays package, the office's edits on
top, and the calendar page saying when a year has no official holiday data."""

from __future__ import annotations

import datetime as dt

import pytest

from chuangwen.audit.models import AuditEntry
from chuangwen.materials.periods import festival_date, occurrences
from chuangwen.problems.holiday_source import has_official_data, latest_official_year, official_days
from chuangwen.problems.models import CalendarDay

pytestmark = pytest.mark.django_db


def test_the_2026_arrangement_matches_the_state_council_notice():
    days = {d.date: d.kind for d in official_days(2026)}
    assert days[dt.date(2026, 2, 17)] == "holiday"  # 春节
    assert days[dt.date(2026, 10, 7)] == "holiday"
    assert days[dt.date(2026, 2, 14)] == "workday"  # a Saturday worked in exchange
    assert days[dt.date(2026, 2, 28)] == "workday"
    assert dt.date(2026, 3, 2) not in days


def test_a_year_not_yet_published_has_no_official_days():
    future = latest_official_year() + 1
    assert not has_official_data(future)
    assert official_days(future) == []


def test_lunar_festivals_are_computed_for_years_past_any_table():
    assert festival_date("chunjie", 2035) == dt.date(2035, 2, 8)
    assert festival_date("duanwu", 2031) == dt.date(2031, 6, 24)
    assert festival_date("zhongqiu", 2040) == dt.date(2040, 9, 20)
    assert festival_date("qingming", 2040) == dt.date(2040, 4, 4)
    assert occurrences({"festival": "duanwu", "days": 3}, range(2030, 2031)) == [
        (dt.date(2030, 6, 5), dt.date(2030, 6, 7))
    ]


def test_the_page_says_when_a_year_has_no_official_data(world):
    future = latest_official_year() + 1
    page = world.client("office").get(f"/problems/calendar/?year={future}").content.decode()
    assert f"There is no official holiday data for {future} yet" in page


def test_the_office_enters_a_published_year_and_its_own_edits_stay(world):
    year = latest_official_year()
    client = world.client("office")
    CalendarDay.objects.filter(date__year=year).delete()
    assert "Enter the official arrangement" in client.get(f"/problems/calendar/?year={year}").content.decode()
    CalendarDay.objects.create(date=dt.date(year, 1, 1), kind="workday", name="本区另行安排")
    response = client.post("/problems/calendar/", {"load_year": str(year)})
    assert response.status_code == 302
    kept = CalendarDay.objects.get(date=dt.date(year, 1, 1))
    assert (kept.kind, kept.name) == ("workday", "本区另行安排")  # the office's edit wins
    expected = {d.date for d in official_days(year)} | {dt.date(year, 1, 1)}
    assert set(CalendarDay.objects.filter(date__year=year).values_list("date", flat=True)) == expected
    assert AuditEntry.objects.filter(action="problems.calendar.load").exists()


def test_a_unit_cannot_load_the_official_arrangement(world):
    year = latest_official_year()
    CalendarDay.objects.filter(date__year=year).delete()
    assert world.client("liaison_a").post("/problems/calendar/", {"load_year": str(year)}).status_code == 403
    assert not CalendarDay.objects.filter(date__year=year).exists()
