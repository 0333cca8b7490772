"""A leader opens the dashboard in Chromium: the charts draw from the JSON API, the map shows the
points without tiles, nothing scrolls sideways."""

from __future__ import annotations

import pytest
from django.test import Client

from chuangwen.conftest import World, build_world
from chuangwen.dashboard.services import refresh
from chuangwen.dashboard.tests.factories import problems
from chuangwen.points.tests.fixtures import make_point
from chuangwen.surveys.tests.factories import survey_world
from chuangwen.tests.browser.conftest import artifacts, browser  # noqa: F401 - the shared fixtures

pytestmark = pytest.mark.browser


@pytest.fixture
def live_world(transactional_db) -> World:
    from chuangwen.points.models import ChecklistItem, PointType
    from chuangwen.points.seed import seed_reference

    seed_reference(PointType, ChecklistItem)  # an earlier transactional test flushed the seeded rows
    world = build_world()
    problems(world)
    survey_world(world)
    make_point(world, name="松林大道", code="P1", last_score=50.0, last_failed=4)
    make_point(world, name="柳岸路", code="P2", unit=world.community_b, lat=30.01, lng=120.01)
    refresh(world.campaign)
    client = Client()
    client.force_login(world.leader)  # before the browser starts: no ORM beside its event loop
    world.__dict__["session"] = client.cookies["sessionid"].value
    return world


def test_a_leader_sees_the_charts_and_the_map(live_server, live_world, browser, artifacts):  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_cookies(
        [{"name": "sessionid", "value": live_world.__dict__["session"], "url": live_server.url}]
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto(f"{live_server.url}/dashboard/")
        page.wait_for_selector("#cw-dashboard[data-loaded='1']")
        page.wait_for_selector("#cw-map .leaflet-interactive, #cw-map .leaflet-marker-icon, #cw-map canvas")
        page.wait_for_timeout(500)
        page.screenshot(path=str(artifacts / "dashboard-desktop.png"), full_page=True)
        assert not errors, errors
        assert page.locator("[data-chart=trend] canvas").count() == 1
        assert page.locator("[data-chart=surveys] canvas").count() == 1
        assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    finally:
        context.close()
