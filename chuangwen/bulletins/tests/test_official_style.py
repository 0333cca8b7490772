"""Issue 21: the bulletin writes its period as official documents do (2026年12月1日至7日), and its
street (township) ranking lists streets and townships only, never a bureau."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from chuangwen.bulletins import services
from chuangwen.bulletins.tests.factories import generated, overdue_problem, sample_problems
from chuangwen.core.official_dates import official_span

pytestmark = pytest.mark.django_db


def test_a_span_drops_what_the_end_shares_with_the_start():
    with translation.override("zh-hans"):
        assert official_span(dt.date(2026, 12, 1), dt.date(2026, 12, 7)) == ("2026年12月1日", "7日")
        assert official_span(dt.date(2026, 11, 28), dt.date(2026, 12, 4)) == ("2026年11月28日", "12月4日")
        assert official_span(dt.date(2026, 12, 28), dt.date(2027, 1, 3)) == ("2026年12月28日", "2027年1月3日")


def test_the_title_and_lead_write_the_period_in_chinese_words(
    world, settings, django_capture_on_commit_callbacks
):
    settings.LANGUAGE_CODE = "zh-hans"
    with translation.override("zh-hans"):
        bulletin, _created = services.create_draft(
            world.office, campaign=world.campaign, start=dt.date(2026, 12, 1), end=dt.date(2026, 12, 7)
        )
    assert bulletin.title.endswith("（2026年12月1日至7日）"), bulletin.title
    assert "2026-12-01" not in bulletin.title


def test_the_street_ranking_leaves_out_bureaus(world, django_capture_on_commit_callbacks):
    sample_problems(world)
    overdue_problem(world, world.department)  # 商务局: a bureau, no street above it
    bulletin = generated(world, django_capture_on_commit_callbacks)
    streets = [r["name"] for r in bulletin.content["streets_by_rate"]]
    units = [r["name"] for r in bulletin.content["units_by_rate"]]
    assert "青石区商务局" in units, "the bureau is still ranked among the units"
    assert "青石区商务局" not in streets
    assert set(streets) == {"松林街道", "柳岸街道"}
