"""An office admin signs in through the real form and sees the home page with the countdown."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from chuangwen.conftest import PASSWORD, World, build_world

pytestmark = pytest.mark.browser

SIZES = {"desktop": (1280, 800), "phone": (390, 844)}


@pytest.fixture
def live_world(transactional_db) -> World:
    """The shared cast, committed so the live server's thread sees it."""
    return build_world()


@pytest.mark.parametrize("size", SIZES)
def test_an_office_admin_signs_in_and_sees_the_countdown(
    size, live_server, live_world, browser, artifacts, chinese
):
    world = live_world
    days_left = (world.campaign.inspection_start - timezone.localdate()).days
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/")
        assert "/accounts/login/" in page.url, "the home page asks an anonymous visitor to sign in"
        assert page.locator("html").get_attribute("lang") == "zh-hans"
        page.fill("input[name=username]", world.office.username)
        page.fill("input[name=password]", PASSWORD)
        page.locator("form button[type=submit]").click()
        page.wait_for_url(f"{live_server.url}/")

        assert page.locator("html").get_attribute("lang") == "zh-hans"
        countdown = page.get_by_test_id("countdown")
        countdown.wait_for()
        # Saved before the checks so a failing layout can be looked at.
        page.screenshot(path=str(artifacts / f"home-{size}.png"), full_page=True)
        assert countdown.inner_text().strip() == str(days_left)
        card = page.locator("#countdown")
        assert world.campaign.name in card.inner_text()
        assert "宣传发动" in card.inner_text(), "the current phase is named beside the countdown"
        assert "距离" in card.inner_text() or "测评" in card.inner_text(), "the labels are in Chinese"
        assert re.search(r"\d{4}-\d{2}-\d{2}", card.inner_text()), "the inspection date is shown"

        # Usable at this width: nothing wider than the window, the countdown fully on screen.
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width, f"the page scrolls sideways at {width}px ({scroll_width}px wide)"
        box = countdown.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width
        font_size = float(countdown.evaluate("el => getComputedStyle(el).fontSize").removesuffix("px"))
        assert font_size >= 28, "the countdown is the biggest thing on the page"
        if size == "phone":
            assert page.locator(".navbar-toggler").is_visible(), "the menu folds behind a button"
            navbar = page.locator("nav.cw-navbar").bounding_box()
            assert navbar and navbar["height"] < 80, "the site name and the menu button share one line"
            page.locator(".navbar-toggler").click()
            menu = page.locator("#cw-nav")
            menu.locator("a.nav-link").first.wait_for(state="visible")
            page.wait_for_timeout(400)  # Bootstrap's collapse animation
            page.screenshot(path=str(artifacts / "home-phone-menu.png"), full_page=True)
            assert page.evaluate("document.documentElement.scrollWidth") <= width
    finally:
        context.close()
