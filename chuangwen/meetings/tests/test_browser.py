"""The office records a meeting decision in a real browser; a liaison finds it; the pages fit
a phone (390 px) and a desktop (1440 px). Screenshots go to test-artifacts/."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from chuangwen.conftest import PASSWORD, World, build_world
from chuangwen.meetings import services
from chuangwen.meetings.tests.factories import meeting

pytestmark = pytest.mark.browser

SIZES = {"desktop": (1440, 900), "phone": (390, 844)}


@pytest.fixture
def live_world(transactional_db) -> World:
    world = build_world()
    m = meeting(world, units=[world.street_a, world.street_b])
    services.add_decision(
        m,
        world.office,
        text="修复柳岸路破损路面",
        unit=world.street_b,
        deadline=timezone.localdate() + dt.timedelta(days=5),
        kind="action",
    )
    world.__dict__["meeting"] = m
    return world


def sign_in(page, url: str, user) -> None:
    page.goto(f"{url}/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(f"{url}/")


def fits(page, width: int) -> None:
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"the page scrolls sideways at {width}px ({scroll_width}px wide)"


@pytest.mark.parametrize("size", SIZES)
def test_the_office_records_a_decision_and_the_unit_sees_it(
    size, live_server, live_world, browser, artifacts, chinese
):
    world = live_world
    width, height = SIZES[size]
    m = world.__dict__["meeting"]
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    page = context.new_page()
    try:
        sign_in(page, live_server.url, world.office)
        page.goto(f"{live_server.url}/meetings/{m.pk}/")
        page.fill("#id_text", "清理松林路沿线小广告")
        page.select_option("#id_unit", str(world.street_a.pk))
        page.fill("#id_deadline", (timezone.localdate() + dt.timedelta(days=3)).isoformat())
        page.select_option("#id_kind", "action")
        page.get_by_role("button", name="登记并交办").click()
        page.get_by_text("清理松林路沿线小广告").first.wait_for()
        page.screenshot(path=str(artifacts / f"meeting-{size}.png"), full_page=True)
        fits(page, width)
        assert page.get_by_text("上次会议议定事项落实情况").is_visible()
        page.goto(f"{live_server.url}/meetings/")
        page.screenshot(path=str(artifacts / f"meetings-{size}.png"), full_page=True)
        fits(page, width)
        assert page.goto(f"{live_server.url}/ledger/").ok
        page.screenshot(path=str(artifacts / f"ledger-{size}.png"), full_page=True)
        fits(page, width)
        assert page.goto(f"{live_server.url}/ledger/rules/").ok
        page.screenshot(path=str(artifacts / f"ledger-rules-{size}.png"), full_page=True)
        fits(page, width)
        context.clear_cookies()

        sign_in(page, live_server.url, world.liaison_a)
        assert page.get_by_text("本单位待落实的会议议定事项").is_visible(), "the home page names the decision"
        page.goto(f"{live_server.url}/meetings/decisions/")
        page.get_by_text("清理松林路沿线小广告").wait_for()
        assert page.get_by_text("修复柳岸路破损路面").count() == 0, "a sibling's decision stays hidden"
        page.screenshot(path=str(artifacts / f"meeting-decisions-{size}.png"), full_page=True)
        fits(page, width)
        assert page.goto(f"{live_server.url}/ledger/units/{world.street_a.pk}/").ok
        page.screenshot(path=str(artifacts / f"ledger-unit-{size}.png"), full_page=True)
        fits(page, width)
    finally:
        context.close()
