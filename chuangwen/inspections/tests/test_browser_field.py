"""In a real browser: the inspector's page keeps entries (in the offline queue, IndexedDB) through a dropped connection, and the
map draws the points without any tiles."""

from __future__ import annotations

import pytest

from chuangwen.conftest import PASSWORD, build_world
from chuangwen.inspections.tests.fixtures import inspection
from chuangwen.offline.tests.test_browser_offline import wait_queue
from chuangwen.points.models import ChecklistItem, PointType
from chuangwen.points.seed import seed_reference

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def live_field(transactional_db):
    """The cast and an open round with street A's point, committed for the live server."""
    seed_reference(PointType, ChecklistItem)  # a previous transactional test flushed the seeded rows
    world = build_world()
    made = inspection(world)
    item = made.rp.point.point_type.items.get(number=3)
    return {"rp": made.rp.pk, "item": item.pk, "point": made.rp.point_id}


def sign_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(f"{base_url}/")


def test_an_entry_made_offline_is_kept_on_the_phone_and_sent_when_back_online(
    live_server, live_field, browser
):
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    try:
        sign_in(page, live_server.url, "inspector")
        visit_url = f"{live_server.url}/inspections/visits/{live_field['rp']}/"
        page.goto(visit_url)
        form = page.locator(f"form[data-item='{live_field['item']}']")
        context.set_offline(True)
        form.locator("label", has_text="不合格").or_(form.locator("label[for$='f']")).first.click()
        wait_queue(page, "items.length === 1")
        assert "cw-queued" in form.get_attribute("class")
        page.close()  # the phone's browser is closed while still offline

        context.set_offline(False)
        page = context.new_page()
        page.goto(visit_url)  # the queue left on the phone is sent when the page opens again
        wait_queue(page, "items.length === 0")
        page.reload()
        saved = page.locator(f"form[data-item='{live_field['item']}']")
        assert "cw-saved" in saved.get_attribute("class")
        assert saved.locator("input[name=result][value=fail]").is_checked()
        # A "fail" with no count is one occurrence: grade B on this occurrences-graded item.
        assert saved.locator("[data-item-grade]").inner_text().strip() == "B"
    finally:
        context.close()


def test_the_map_shows_the_points_without_tiles(live_server, live_field, browser, settings):
    settings.MAP_TILE_URL = ""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        sign_in(page, live_server.url, "office")
        page.goto(f"{live_server.url}/points/map/")
        page.wait_for_function("() => document.querySelector('[data-map-count]').textContent === '1'")
        assert page.locator("#cw-map.leaflet-container").count() == 1
        assert not errors
    finally:
        context.close()


def test_a_duty_officer_checks_in_with_the_phones_position(live_server, live_field, browser):
    from chuangwen.points.tests.fixtures import POINT_LAT, POINT_LNG

    context = browser.new_context(
        viewport=PHONE,
        locale="zh-CN",
        permissions=["geolocation"],
        geolocation={"latitude": POINT_LAT + 0.0003, "longitude": POINT_LNG},
    )
    page = context.new_page()
    try:
        sign_in(page, live_server.url, "duty_a")
        page.goto(f"{live_server.url}/points/duty/")
        page.locator("[data-gps-post]").first.click()
        page.wait_for_function(
            "() => document.querySelector('[data-duty-status]').classList.contains('text-success')"
            " && !document.querySelector('[data-duty-status]').textContent.includes('…')"
        )
        page.wait_for_load_state("load")
        page.wait_for_selector("[data-gps-post*='check-out']")  # reloaded: now it offers the check-out
    finally:
        context.close()
