"""The office generates a bulletin for an inspection round through the page, in Chromium.

Issue 21: choosing a round always failed ("选择一个有效的选项") and emptied the form, and the
default dates were written in a format the date input rejected.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone

from chuangwen.conftest import build_world
from chuangwen.inspections.models import Round, RoundStatus

pytestmark = pytest.mark.browser


@pytest.fixture
def live_round(transactional_db):
    world = build_world()
    today = timezone.localdate()
    round_ = Round.objects.create(
        name="第12周督查",
        kind="supervision",
        status=RoundStatus.OPEN,
        start_date=today - dt.timedelta(days=3),
        end_date=today + dt.timedelta(days=3),
        organizer=world.office_unit,
        team=world.inspection_team,
        campaign=world.campaign,
    )
    client = Client()
    client.force_login(world.office)
    return world, round_, client.cookies[django_settings.SESSION_COOKIE_NAME].value


@pytest.mark.parametrize("width", [390, 1440])
def test_the_office_generates_a_bulletin_for_a_round(
    width, live_server, live_round, browser, artifacts, chinese
):
    world, round_, session = live_round
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    context.add_cookies(
        [{"name": django_settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/bulletins/")
        start = page.locator("input[name=start]")
        # A date input whose value it cannot read shows empty: its .value is then "".
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", start.evaluate("el => el.value")), (
            "the default 从 date is shown"
        )
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", page.locator("input[name=end]").evaluate("el => el.value"))
        page.locator("select[name=round]").select_option(str(round_.pk))
        page.screenshot(path=str(artifacts / f"bulletin-new-round-{width}.png"), full_page=True)
        page.get_by_role("button", name="生成").click()
        page.wait_for_url(re.compile(r".*/bulletins/\d+/$"))
        assert "选择一个有效的选项" not in page.content()
        assert round_.name in page.content(), "the bulletin reports on the chosen round"
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    finally:
        context.close()
