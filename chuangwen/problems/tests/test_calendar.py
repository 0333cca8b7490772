import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from chuangwen.audit.models import AuditEntry
from chuangwen.problems.calendar import compute_deadline, time_limit, work_calendar
from chuangwen.problems.models import CalendarDay, Urgency
from chuangwen.problems.seed import SeedError, load_holidays
from chuangwen.problems.tests.factories import categories, category

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def test_the_official_2026_spring_festival_and_its_adjusted_saturdays_are_seeded():
    categories()
    calendar = work_calendar()
    assert not calendar.is_working_day(dt.date(2026, 2, 17))
    assert calendar.is_working_day(dt.date(2026, 2, 14))
    assert calendar.is_working_day(dt.date(2026, 2, 28))
    assert calendar.is_working_day(dt.date(2026, 10, 10))
    assert not calendar.is_working_day(dt.date(2025, 10, 8))


def test_a_deadline_in_working_days_skips_the_national_day_week():
    cat = category("非法小广告")  # 1 working day
    start = dt.datetime(2026, 9, 30, 10, 0, tzinfo=TZ)
    assert compute_deadline(cat, Urgency.NORMAL, start) == dt.datetime(2026, 10, 8, 10, 0, tzinfo=TZ)


def test_urgent_halves_the_limit_and_immediate_is_twenty_four_hours():
    cat = category("路面破损")  # 5 working days
    assert time_limit(cat, Urgency.NORMAL) == (5, "working_days")
    assert time_limit(cat, Urgency.URGENT) == (2.5, "working_days")
    assert time_limit(cat, Urgency.IMMEDIATE) == (24, "hours")


def test_loading_the_holidays_twice_changes_nothing_and_a_bad_line_is_named():
    categories()
    before = CalendarDay.objects.count()
    result = load_holidays(CalendarDay)
    assert result["created"] == 0 and CalendarDay.objects.count() == before
    with pytest.raises(SeedError, match="line 2"):
        load_holidays(CalendarDay, "date,kind,name\n2026-13-01,holiday,x\n")


def test_the_office_adds_a_holiday_and_it_is_audited(world):
    client = world.client("office")
    response = client.post("/problems/calendar/", {"date": "2027-01-01", "kind": "holiday", "name": "元旦"})
    assert response.status_code == 302
    day = CalendarDay.objects.get(date=dt.date(2027, 1, 1))
    assert AuditEntry.objects.filter(action="problems.calendar.save", object_id=str(day.pk)).exists()
    assert client.get("/problems/calendar/?year=2027").status_code == 200
    client.post(f"/problems/calendar/{day.pk}/delete/")
    assert not CalendarDay.objects.filter(pk=day.pk).exists()


def test_a_unit_cannot_edit_the_calendar(world):
    response = world.client("liaison_a").post(
        "/problems/calendar/", {"date": "2027-01-01", "kind": "holiday"}
    )
    assert response.status_code == 403
    assert not CalendarDay.objects.filter(date=dt.date(2027, 1, 1)).exists()


def test_the_calendar_service_audits_a_change_and_drops_the_cached_calendar_on_commit(
    world, django_capture_on_commit_callbacks
):
    from chuangwen.problems.services.calendar import remove_calendar_day, save_calendar_day

    day = dt.date(2027, 3, 3)
    assert work_calendar().is_working_day(day)
    with django_capture_on_commit_callbacks(execute=True):
        saved = save_calendar_day(world.office, day, "holiday", "测试假日")
    assert not work_calendar().is_working_day(day)  # the cached copy was dropped
    with django_capture_on_commit_callbacks(execute=True):
        save_calendar_day(world.office, day, "workday", "测试调休")
    saves = AuditEntry.objects.filter(action="problems.calendar.save", object_id=str(saved.pk))
    change = saves.order_by("pk").last()
    assert change.changes["before"] == {"kind": "holiday", "name": "测试假日"}
    with django_capture_on_commit_callbacks(execute=True):
        assert remove_calendar_day(world.office, saved.pk) is not None
    assert remove_calendar_day(world.office, saved.pk) is None
    assert AuditEntry.objects.filter(action="problems.calendar.delete", object_id=str(saved.pk)).count() == 1
