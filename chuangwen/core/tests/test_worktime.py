import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from chuangwen.core.worktime import (
    WorkCalendar,
    add_working_days,
    add_working_hours,
    deadline,
    working_hours_between,
)

TZ = ZoneInfo("Asia/Shanghai")
# 2026: 春节 15–23 Feb off; Sat 14 Feb and Sat 28 Feb worked (调休).
SPRING_2026 = WorkCalendar.build(
    holidays=[dt.date(2026, 2, 15) + dt.timedelta(days=i) for i in range(9)],
    workdays=[dt.date(2026, 2, 14), dt.date(2026, 2, 28)],
)
PLAIN = WorkCalendar()


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=TZ)


def test_working_hours_inside_one_period_end_within_it():
    assert add_working_hours(at(2026, 3, 2, 9), 2, PLAIN) == at(2026, 3, 2, 11)


def test_working_hours_skip_the_lunch_break():
    assert add_working_hours(at(2026, 3, 2, 11), 2, PLAIN) == at(2026, 3, 2, 15)


def test_a_deadline_that_fits_exactly_ends_at_the_period_end_not_the_next_morning():
    assert add_working_hours(at(2026, 3, 2, 16), 2, PLAIN) == at(2026, 3, 2, 18)


def test_a_report_in_the_evening_starts_counting_next_morning():
    assert add_working_hours(at(2026, 3, 2, 20, 30), 4, PLAIN) == at(2026, 3, 3, 12)


def test_working_hours_on_friday_afternoon_continue_on_monday():
    # Fri 6 Mar 2026 17:00 + 4 h: 1 h on Friday, 3 h from Monday 8:00.
    assert add_working_hours(at(2026, 3, 6, 17), 4, PLAIN) == at(2026, 3, 9, 11)


def test_one_working_day_from_monday_morning_ends_tuesday_at_the_same_time():
    assert add_working_days(at(2026, 3, 2, 10), 1, PLAIN) == at(2026, 3, 3, 10)


def test_working_days_skip_the_spring_festival_and_count_the_adjusted_saturday():
    # Fri 13 Feb 10:00 + 1 working day: Saturday 14 Feb is worked (调休), so Sat 10:00.
    assert add_working_days(at(2026, 2, 13, 10), 1, SPRING_2026) == at(2026, 2, 14, 10)
    # Sat 14 Feb 10:00 + 1 working day: 15–23 Feb are the holiday, so Tue 24 Feb 10:00.
    assert add_working_days(at(2026, 2, 14, 10), 1, SPRING_2026) == at(2026, 2, 24, 10)


def test_the_adjusted_working_day_is_a_working_day_and_the_holiday_is_not():
    assert SPRING_2026.is_working_day(dt.date(2026, 2, 28))
    assert not SPRING_2026.is_working_day(dt.date(2026, 2, 16))
    assert not PLAIN.is_working_day(dt.date(2026, 2, 28))


def test_continuous_hours_ignore_nights_weekends_and_holidays():
    assert deadline(at(2026, 2, 14, 20), 24, "hours", SPRING_2026) == at(2026, 2, 15, 20)


def test_deadline_dispatches_on_the_time_unit():
    start = at(2026, 3, 2, 10)
    assert deadline(start, 4, "working_hours", PLAIN) == at(2026, 3, 2, 16)
    assert deadline(start, 2, "working_days", PLAIN) == at(2026, 3, 4, 10)
    with pytest.raises(ValueError):
        deadline(start, 1, "fortnights", PLAIN)


def test_deadlines_are_computed_in_local_time_when_given_utc():
    utc_start = dt.datetime(2026, 3, 2, 2, tzinfo=dt.UTC)  # 10:00 in Shanghai
    assert add_working_hours(utc_start, 2, PLAIN, tz=TZ) == at(2026, 3, 2, 12)


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        add_working_hours(dt.datetime(2026, 3, 2, 10), 1, PLAIN)


def test_working_hours_between_counts_only_working_time_and_is_signed():
    assert working_hours_between(at(2026, 3, 6, 17), at(2026, 3, 9, 11), PLAIN) == 4
    assert working_hours_between(at(2026, 3, 9, 11), at(2026, 3, 6, 17), PLAIN) == -4
    assert working_hours_between(at(2026, 3, 7, 9), at(2026, 3, 8, 17), PLAIN) == 0


def test_a_calendar_without_any_working_day_fails_loudly_instead_of_looping():
    every_day = [dt.date(2026, 1, 1) + dt.timedelta(days=i) for i in range(800)]
    with pytest.raises(ValueError):
        add_working_hours(at(2026, 1, 1, 9), 1, WorkCalendar.build(holidays=every_day))


def test_a_working_day_lasts_eight_hours_by_default():
    assert PLAIN.hours_per_day == 8
