"""In a real browser: a volunteer's phone signs in at an activity by its QR page with the
phone's position; the organiser's activity page fits a phone and a desktop."""

from __future__ import annotations

import pytest

from chuangwen.conftest import PASSWORD, World, build_world
from chuangwen.volunteers.tests.fixtures import LAT, LNG, VolunteerWorld, volunteer_world

pytestmark = pytest.mark.browser
SIZES = {"desktop": (1440, 900), "phone": (390, 844)}


@pytest.fixture
def live(transactional_db) -> tuple[World, VolunteerWorld]:
    world = build_world()
    return world, volunteer_world(world)


@pytest.mark.parametrize("size", SIZES)
def test_a_volunteer_signs_in_with_the_phones_position(size, live_server, live, browser, artifacts, chinese):
    world, vw = live
    width, height = SIZES[size]
    context = browser.new_context(
        viewport={"width": width, "height": height},
        locale="zh-CN",
        geolocation={"latitude": LAT, "longitude": LNG},
        permissions=["geolocation"],
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/volunteers/a/{vw.activity.token}/")
    page.fill("input[name=name]", vw.other.name)
    page.fill("input[name=phone]", vw.other.phone)
    page.screenshot(path=str(artifacts / f"volunteer-sign-{size}.png"), full_page=True)
    page.locator("button[value=sign_in]").click()
    page.locator("[data-result]").wait_for()
    assert "签到成功" in page.locator("[data-result]").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", world.office.username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")
    for name, url in (
        ("activity", f"/volunteers/activities/{vw.activity.pk}/"),
        ("figures", f"/volunteers/?unit={world.street_a.pk}"),
        ("roster", "/volunteers/roster/"),
    ):
        page.goto(live_server.url + url)
        page.screenshot(path=str(artifacts / f"volunteers-{name}-{size}.png"), full_page=True)
        if name == "activity":
            # The phone's sign-in (with its position, near the place: no distance flag) is on the list.
            text = page.locator("main").inner_text()
            assert (
                vw.other.name in text and "已签到" in text and "米" not in text.split(vw.other.name)[1][:80]
            )
        assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{name} scrolls sideways"
    context.close()
