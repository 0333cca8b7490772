import datetime as dt

from chuangwen.materials.models import Cadence
from chuangwen.materials.periods import (
    format_named_dates,
    parse_named_dates,
    period_for_date,
    periods_for,
)
from chuangwen.materials.tests.factories import make_requirement


def test_a_quarterly_requirement_has_one_period_per_quarter_of_its_window(world):
    req = make_requirement(world, window_from=dt.date(2024, 3, 1), window_to=dt.date(2024, 12, 31))
    assert [p.key for p in periods_for(req)] == ["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"]
    assert periods_for(req)[1].start == dt.date(2024, 4, 1) and periods_for(req)[1].end == dt.date(
        2024, 6, 30
    )


def test_a_monthly_window_across_years_keeps_the_year_in_its_keys(world):
    req = make_requirement(
        world, cadence=Cadence.MONTHLY, window_from=dt.date(2023, 11, 1), window_to=dt.date(2024, 2, 29)
    )
    assert [p.key for p in periods_for(req)] == ["2023-11", "2023-12", "2024-01", "2024-02"]


def test_named_dates_recur_in_each_year_of_the_window_and_lunar_festivals_move(world):
    req = make_requirement(
        world,
        cadence=Cadence.NAMED_DATES,
        window_from=dt.date(2024, 9, 1),
        window_to=dt.date(2025, 8, 31),
        named_dates=[
            {"label": "3·15", "md": "03-15"},
            {"label": "端午节", "festival": "duanwu"},
            {"label": "质量月", "md": "09-01", "days": 30},
        ],
    )
    keys = [p.key for p in periods_for(req)]
    assert keys == ["2024-09-01", "2025-03-15", "2025-05-31"]
    quality_month = periods_for(req)[0]
    assert quality_month.end == dt.date(2024, 9, 30) + dt.timedelta(days=7)


def test_an_activity_date_finds_its_period_and_a_date_outside_finds_none(world):
    req = make_requirement(world, window_from=dt.date(2024, 1, 1), window_to=dt.date(2024, 12, 31))
    assert period_for_date(req, dt.date(2024, 5, 20)).key == "2024-Q2"
    assert period_for_date(req, dt.date(2025, 1, 2)) is None


def test_the_default_window_is_the_year_ending_the_month_before_the_inspection(world):
    world.campaign.inspection_start = dt.date(2024, 10, 15)
    world.campaign.save()
    req = make_requirement(world, window_from=None, window_to=None)
    assert req.window() == (dt.date(2023, 10, 1), dt.date(2024, 9, 30))


def test_named_date_lines_round_trip_and_unknown_names_ask_for_a_date():
    entries, errors = parse_named_dates("端午节\n3·15 = 03-15\n质量月 = 09-01 +30\n专项行动 = 2024-06-18")
    assert not errors
    assert entries == [
        {"label": "端午节", "festival": "duanwu"},
        {"label": "3·15", "md": "03-15"},
        {"label": "质量月", "md": "09-01", "days": 30},
        {"label": "专项行动", "date": "2024-06-18"},
    ]
    assert parse_named_dates(format_named_dates(entries)) == (entries, [])
    _entries, errors = parse_named_dates("全国食品安全宣传周\n坏日子 = 02-30")
    assert len(errors) == 2
