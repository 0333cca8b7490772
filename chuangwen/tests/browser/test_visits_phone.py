"""In a real browser: a grid's staff records a visit on a phone; the round (coverage and
households) and the five chiefs' page fit a phone and a desktop."""

from __future__ import annotations

import pytest

from chuangwen.conftest import PASSWORD, World, build_world
from chuangwen.visits.tests.fixtures import VisitsWorld, visits_world

pytestmark = pytest.mark.browser
SIZES = {"desktop": (1440, 900), "phone": (390, 844)}


@pytest.fixture
def live(transactional_db) -> tuple[World, VisitsWorld]:
    world = build_world()
    return world, visits_world(world)


@pytest.mark.parametrize("size", SIZES)
def test_grid_staff_record_a_visit_on_the_phone(size, live_server, live, browser, artifacts, chinese):
    world, vw = live
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", world.duty_a.username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/visits/rounds/{vw.visit_round.pk}/households/{vw.home_a1_other.pk}/")
    page.get_by_label("已走访").check()
    page.fill("input[name=materials]", "宣传册")
    page.screenshot(path=str(artifacts / f"visits-record-{size}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.locator("main form button.btn-primary").click()
    page.wait_for_url(f"{live_server.url}/visits/rounds/{vw.visit_round.pk}/")
    text = page.locator("main").inner_text()
    assert "走访已登记" in text and "各网格走访覆盖" in text
    # both households of duty_a's grid now show as visited; the other grid's is not shown
    assert "未走访" not in text.split("住户")[-1] and "松林苑5栋" not in text
    page.screenshot(path=str(artifacts / f"visits-round-{size}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "round scrolls sideways"
    page.goto(f"{live_server.url}/visits/stewards/")
    page.screenshot(path=str(artifacts / f"visits-stewards-{size}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    context.close()
