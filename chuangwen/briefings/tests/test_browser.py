"""The office generates a weekly report in a real browser; the list fits a phone (390 px) and a
desktop (1440 px). Screenshots go to test-artifacts/."""

from __future__ import annotations

import pytest

from chuangwen.conftest import World, build_world
from chuangwen.meetings.tests.test_browser import SIZES, fits, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def live_world(transactional_db) -> World:
    return build_world()


@pytest.mark.parametrize("size", SIZES)
def test_the_office_generates_a_report(size, live_server, live_world, browser, artifacts, chinese):
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    page = context.new_page()
    try:
        sign_in(page, live_server.url, live_world.office)
        page.goto(f"{live_server.url}/briefings/")
        page.select_option("#id_kind", "weekly")
        page.get_by_role("button", name="生成", exact=True).click()
        page.get_by_text("报告已生成。").wait_for()
        assert page.get_by_role("link", name="下载PDF版").is_visible()
        page.screenshot(path=str(artifacts / f"briefings-{size}.png"), full_page=True)
        fits(page, width)
    finally:
        context.close()
