"""In a real browser, at phone and desktop widths: the office's board and lists, and the public
exposure board and lists without sign-in, fit the screen."""

from __future__ import annotations

import pytest
from django.utils import timezone

from chuangwen.conftest import PASSWORD, World, build_world
from chuangwen.exposure import services
from chuangwen.exposure.models import Roll, RollKind
from chuangwen.exposure.tests.fixtures import ExposureWorld, exposure_world

pytestmark = pytest.mark.browser
SIZES = {"desktop": (1440, 900), "phone": (390, 844)}


@pytest.fixture
def live(transactional_db, settings, tmp_path) -> tuple[World, ExposureWorld]:
    settings.MEDIA_ROOT = tmp_path / "media"
    world = build_world()
    made = exposure_world(world)
    roll = Roll.objects.create(
        campaign=world.campaign, month=timezone.localdate().replace(day=1), kind=RollKind.PRAISE
    )
    services.add_entry(roll, world.street_b, "到期问题全部整改到位", world.office)
    services.approve(roll, world.office)
    services.publish(roll, world.office, public=True)
    return world, made


@pytest.mark.parametrize("size", SIZES)
def test_exposure_pages_fit_the_screen(size, live_server, live, browser, artifacts, chinese):
    world, made = live
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/exposure/public/board/")
    page.screenshot(path=str(artifacts / f"exposure-public-board-{size}.png"), full_page=True)
    text = page.locator("main").inner_text()
    assert made.exposure.title in text and "尚未整改" in text
    assert page.evaluate("document.querySelector('main img').naturalWidth") > 0
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.goto(f"{live_server.url}/exposure/public/rolls/")
    page.screenshot(path=str(artifacts / f"exposure-public-rolls-{size}.png"), full_page=True)
    assert "到期问题全部整改到位" in page.locator("main").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", world.office.username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")
    for name, url in (
        ("board", "/exposure/board/"),
        ("rolls", "/exposure/rolls/"),
        ("roll", f"/exposure/rolls/{made.roll.pk}/"),
    ):
        page.goto(live_server.url + url)
        page.screenshot(path=str(artifacts / f"exposure-{name}-{size}.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{name} scrolls sideways"
    context.close()
