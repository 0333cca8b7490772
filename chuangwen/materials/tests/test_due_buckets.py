"""Issue 21: the 待报材料 list opens on 本期 + 逾期 with counts, a running period is 待报 and not
缺报, older periods are one click away; the liaison's home page counts the missing filings."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from chuangwen.materials.models import Cadence
from chuangwen.materials.tests.factories import make_requirement
from chuangwen.tasks.periods import add_months

pytestmark = pytest.mark.django_db


def monthly(world):
    today = timezone.localdate()
    return make_requirement(
        world,
        cadence=Cadence.MONTHLY,
        window_from=add_months(today.replace(day=1), -4),
        window_to=today + dt.timedelta(days=60),
    )


def test_the_due_list_opens_on_this_period_and_the_overdue_one(world):
    req = monthly(world)
    client = world.client("liaison_a")
    page = client.get(reverse("materials:due"))
    items = list(page.context["items"])
    today = timezone.localdate()
    assert page.context["counts"] == {"current": 1, "overdue": 1, "older": 3}
    assert len(items) == 2 and all(i.requirement == req for i in items)
    running = next(i for i in items if i.period.end >= today)
    ended = next(i for i in items if i.period.end < today)
    assert running.label == "To file", "a period still running is not marked missing"
    assert ended.label == "Missing"
    older = list(client.get(reverse("materials:due") + "?show=older").context["items"])
    assert len(older) == 3 and all(i.period.end < ended.period.end for i in older)
    assert len(list(client.get(reverse("materials:due") + "?show=all").context["items"])) == 5


def test_the_liaison_home_page_counts_missing_filings_and_links_to_them(world):
    monthly(world)
    home = world.client("liaison_a").get("/").content.decode()
    assert "Materials overdue (缺报)" in home and "Materials to file this period" in home
    assert reverse("materials:due") in home
    # The sibling street owes nothing here and sees no such item.
    other = world.client("liaison_b").get("/").content.decode()
    assert "Materials overdue" not in other
