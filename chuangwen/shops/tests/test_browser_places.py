"""The office's and grid staff's pages of places and honours in Chromium, at a phone's width and
a desktop's: nothing wider than the screen, the main action visible. Screenshots go to
test-artifacts/ for a human to look at."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from chuangwen.conftest import PASSWORD, World, build_world
from chuangwen.honours import services as honour_services
from chuangwen.placements.tests.fixtures import make_placement
from chuangwen.shops.tests.fixtures import make_shop, places
from chuangwen.tests.browser.conftest import artifacts, browser  # noqa: F401 (the shared Chromium fixtures)

pytestmark = pytest.mark.browser
SIZES = {"phone": (390, 844), "desktop": (1440, 900)}


@pytest.fixture
def live_world(transactional_db, settings, tmp_path) -> World:
    settings.MEDIA_ROOT = tmp_path / "media"
    world = build_world()
    data = places(world)
    make_shop(world, name="东头美发店", lng=120.018, category="small_beauty")
    make_shop(world, name="西头便利店", lng=120.001, category="small_grocery")
    for lng in (120.001, 120.006):
        make_placement(world, lng=lng)
    year = timezone.localdate().year
    selection = honour_services.open_selection(
        world.campaign,
        "good_person",
        year,
        f"{year}年度身边好人评选",
        timezone.localdate() + dt.timedelta(days=9),
        world.office,
    )
    nominee = honour_services.nominate(
        selection,
        honour_services.NominationInput(
            world.community_a, "王热心", "多年来坚持义务清扫社区道路，帮助孤寡老人，热心公益。"
        ),
        world.office,
    )
    honour_services.review(nominee, True, world.office)
    honour_services.start_notice(
        selection, timezone.localdate(), timezone.localdate() + dt.timedelta(days=5), world.office
    )
    world.__dict__["_road_id"] = data.road.pk
    world.__dict__["_shop_id"] = data.shop.pk
    return world


@pytest.mark.parametrize("size", SIZES)
def test_the_places_pages_fit_the_screen_and_show_their_main_action(
    size,
    live_server,
    live_world,
    browser,  # noqa: F811
    artifacts,  # noqa: F811
    chinese,
):
    world = live_world
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", world.office.username)
        page.fill("input[name=password]", PASSWORD)
        page.locator("form button[type=submit]").click()
        page.wait_for_url(f"{live_server.url}/")
        pages = {
            "shops-list": ("/shops/", "新增商户"),
            "shop": (f"/shops/{world._shop_id}/", "在此上报问题"),
            "shop-walk": (f"/shops/roads/{world._road_id}/walk/", "在此上报问题"),
            "placements-checks": ("/placements/checks/", "公益广告检查"),
            "honours-notice": ("/honours/notice/", "王热心"),
        }
        for name, (path, action) in pages.items():
            page.goto(f"{live_server.url}{path}")
            page.screenshot(path=str(artifacts / f"places-{name}-{size}.png"), full_page=True)
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            if scroll_width > width:
                print(
                    path,
                    page.evaluate(
                        "Array.from(document.querySelectorAll('body *')).filter(e => e.getBoundingClientRect().right > window.innerWidth)"
                        ".slice(0, 8).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"
                    ),
                )
            assert scroll_width <= width, f"{path} scrolls sideways at {width}px ({scroll_width}px wide)"
            target = page.get_by_text(action).first
            assert target.is_visible(), f"{path}: “{action}” is not visible"
            box = target.bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= width
    finally:
        context.close()
