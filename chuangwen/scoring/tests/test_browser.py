"""The score overview and an explain page in a real browser (screenshots in test-artifacts/)."""

from __future__ import annotations

import pytest

from chuangwen.conftest import PASSWORD, World, build_world
from chuangwen.scoring.tests.fixtures import scored, scored_run
from chuangwen.tests.browser.conftest import artifacts, browser  # noqa: F401, F811 (the shared Chromium fixtures)

pytestmark = pytest.mark.browser


@pytest.fixture
def live_scored(transactional_db) -> World:
    world = build_world()
    scored_run(world)
    return world


def test_the_office_sees_the_score_overview_with_its_chart(live_server, live_scored, browser, artifacts):  # noqa: F811
    world = live_scored
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", world.office.username)
        page.fill("input[name=password]", PASSWORD)
        page.locator("form button[type=submit]").click()
        page.wait_for_load_state()
        page.goto(f"{live_server.url}/scoring/")
        page.get_by_test_id("total").wait_for()
        page.locator("[data-cw-score-chart] canvas").wait_for()
        page.screenshot(path=str(artifacts / "scoring-overview.png"), full_page=True)
        page.goto(f"{live_server.url}/scoring/indicators/{scored(world).field.pk}/")
        page.screenshot(path=str(artifacts / "scoring-explain.png"), full_page=True)
        assert "problem" in page.content()
    finally:
        context.close()
