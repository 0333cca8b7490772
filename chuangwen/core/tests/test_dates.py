"""The one Chinese date and deadline reader, on each form offices write."""

import datetime as dt

import pytest
from django.utils import timezone

from chuangwen.core.dates import DateTextError, Kind, parse_deadline, parse_moment

JUNE = dt.date(2026, 6, 10)  # the import date of most cases below
DECEMBER = dt.date(2026, 12, 15)


def local(moment):
    return timezone.localtime(moment).replace(tzinfo=None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-01-05 14:30", dt.datetime(2026, 1, 5, 14, 30)),
        ("2026/1/5 14:30:15", dt.datetime(2026, 1, 5, 14, 30, 15)),
        ("2026.1.5", dt.datetime(2026, 1, 5, 12, 0)),
        ("2026年1月5日", dt.datetime(2026, 1, 5, 12, 0)),
        ("2026年1月5日 14时30分", dt.datetime(2026, 1, 5, 14, 30)),
        ("２０２６年１月５日　１４：３０", dt.datetime(2026, 1, 5, 14, 30)),
        ("2026-01-05T08:00", dt.datetime(2026, 1, 5, 8, 0)),
    ],
)
def test_it_reads_the_moments_exports_write(text, expected):
    assert local(parse_moment(text)) == expected


def test_a_date_cell_and_a_blank_cell():
    assert local(parse_moment(dt.date(2026, 1, 5))) == dt.datetime(2026, 1, 5, 12, 0)
    assert local(parse_moment(dt.datetime(2026, 1, 5, 9, 0))) == dt.datetime(2026, 1, 5, 9, 0)
    assert parse_moment("") is None and parse_moment(None) is None and parse_moment("  ") is None


@pytest.mark.parametrize("text", ["昨天下午", "2026-13-45", "2026-02-30", "2026-01-05 25:00", "尽快"])
def test_an_unreadable_or_impossible_moment_is_an_error_quoting_it(text):
    with pytest.raises(DateTextError, match=text.split(" ")[0]):
        parse_moment(text)


@pytest.mark.parametrize(
    ("text", "kind", "date"),
    [
        ("2024年6月30日", Kind.ONCE, dt.date(2024, 6, 30)),
        ("2024.6.30", Kind.ONCE, dt.date(2024, 6, 30)),
        ("２０２４年６月３０日前", Kind.ONCE, dt.date(2024, 6, 30)),
        ("6月底前", Kind.ONCE, dt.date(2026, 6, 30)),
        ("9月中旬", Kind.ONCE, dt.date(2026, 9, 20)),
        ("每季度", Kind.QUARTERLY, None),
        ("每季度末前", Kind.QUARTERLY, None),
        ("每月", Kind.MONTHLY, None),
        ("长期坚持", Kind.ONGOING, None),
        ("3·15", Kind.NAMED_DATES, dt.date(2027, 3, 15)),
        ("质量月", Kind.NAMED_DATES, dt.date(2026, 9, 30)),
        ("国庆前", Kind.NAMED_DATES, dt.date(2026, 10, 1)),
        ("第三季度", Kind.ONCE, dt.date(2026, 9, 30)),
        ("年底", Kind.ONCE, dt.date(2026, 12, 31)),
    ],
)
def test_it_reads_each_deadline_form_offices_write(text, kind, date):
    found = parse_deadline(text, JUNE)
    assert (found.kind, found.date, found.unreadable) == (kind, date, False)
    assert found.text == text


def test_a_month_without_a_year_is_the_next_such_month_and_says_so():
    found = parse_deadline("1月底", DECEMBER)
    assert found.date == dt.date(2027, 1, 31)
    assert "2027" in found.chosen
    this_year = parse_deadline("12月底", DECEMBER)
    assert this_year.date == dt.date(2026, 12, 31) and this_year.chosen == ""


@pytest.mark.parametrize("text", ["按上级通知", "视情况", "教师节前"])
def test_text_it_cannot_read_is_kept_without_a_date_never_an_error(text):
    found = parse_deadline(text, JUNE)
    assert found.unreadable and found.date is None and found.text == text
