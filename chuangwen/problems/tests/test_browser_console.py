"""In a real browser: the dispatch console's Leaflet map draws the queue without tiles, and a
marker's popup ticks its problem for bulk assignment."""

from __future__ import annotations

import pytest

from chuangwen.conftest import PASSWORD, build_world
from chuangwen.problems.models import Problem
from chuangwen.problems.tests.factories import category

pytestmark = pytest.mark.browser


@pytest.fixture
def live_queue(transactional_db):
    from chuangwen.problems import services

    world = build_world()
    problem = services.report(
        world.office, category=category(), description="桥下堆物", source="patrol", lat=30.01, lng=120.02
    )
    assert Problem.objects.queue().filter(pk=problem.pk).exists()
    return problem.pk


def test_the_console_map_shows_the_queue_and_ticks_a_row_from_a_marker(
    live_server, live_queue, browser, settings, artifacts
):
    settings.MAP_TILE_URL = ""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", "office")
        page.fill("input[name=password]", PASSWORD)
        page.locator("form button[type=submit]").click()
        page.wait_for_url(f"{live_server.url}/")
        page.goto(f"{live_server.url}/problems/console/")
        page.wait_for_selector("#cw-problem-map.leaflet-container path.leaflet-interactive")
        box = page.locator(f"input[name=rows][value^='{live_queue}:']")
        assert not box.is_checked()
        page.locator("#cw-problem-map path.leaflet-interactive").first.click()
        page.locator(f"[data-tick='{live_queue}']").click()
        assert box.is_checked()
        page.screenshot(path=str(artifacts / "problems-console.png"))
        assert not errors
    finally:
        context.close()
