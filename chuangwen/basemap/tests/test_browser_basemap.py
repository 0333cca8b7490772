"""In a real browser, with no tile server: the grid boundaries and roads are drawn beneath the
markers of the dispatch console and of the problem detail page."""

from __future__ import annotations

import pytest

from chuangwen.conftest import PASSWORD, build_world
from chuangwen.org.models import Grid, Road
from chuangwen.problems.models import Problem
from chuangwen.shops.models import RoadLine

pytestmark = pytest.mark.browser

SQUARE = [[[120.00, 30.00], [120.01, 30.00], [120.01, 30.01], [120.00, 30.01], [120.00, 30.00]]]
SQUARE_2 = [[[120.01, 30.00], [120.02, 30.00], [120.02, 30.01], [120.01, 30.01], [120.01, 30.00]]]


@pytest.fixture
def live_territory(transactional_db):
    from chuangwen.problems import services
    from chuangwen.problems.tests.factories import category

    world = build_world()
    Grid.objects.create(
        name="松林一网格",
        code="G-A-1",
        unit=world.community_a,
        polygon={"type": "Polygon", "coordinates": SQUARE},
    )
    Grid.objects.create(
        name="松林二网格",
        code="G-A-2",
        unit=world.community_a,
        polygon={"type": "Polygon", "coordinates": SQUARE_2},
    )
    road = Road.objects.create(name="松林路", unit=world.street_a, chief_unit=world.street_a)
    RoadLine.objects.create(
        road=road, coordinates=[[120.0, 30.005], [120.02, 30.005]], length_m=1900, is_main=True
    )
    problem = services.report(
        world.office, category=category(), description="桥下堆物", source="patrol", lat=30.012, lng=120.006
    )
    # just north of the grids: no grid contains it, so it waits in the dispatch queue
    assert Problem.objects.queue().filter(pk=problem.pk).exists()
    return problem.pk


@pytest.mark.parametrize("width", [390, 1440])
def test_the_base_layer_draws_grids_and_roads_without_tiles(
    live_server, live_territory, browser, settings, artifacts, width
):
    settings.MAP_TILE_URL = ""
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
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
        page.wait_for_selector("#cw-problem-map[data-basemap-features='3']")
        # two grid polygons and one road beneath the marker, no tiles
        assert page.locator("#cw-problem-map path.cw-basemap-grid").count() == 2
        assert page.locator("#cw-problem-map path.cw-basemap-road").count() == 1
        assert page.locator("#cw-problem-map path.leaflet-interactive").count() == 1
        assert page.locator("#cw-problem-map .leaflet-tile").count() == 0
        page.wait_for_timeout(500)
        page.screenshot(path=str(artifacts / f"basemap-console-{width}.png"), full_page=False)

        page.goto(f"{live_server.url}/problems/{live_territory}/")
        page.wait_for_selector("#cw-problem-position[data-basemap-features='3']")
        assert page.locator("#cw-problem-position path.cw-basemap-grid").count() == 2
        assert page.locator("#cw-problem-position path.cw-basemap-road").count() == 1
        assert page.locator("#cw-problem-position path.leaflet-interactive").count() == 1
        page.locator("#cw-problem-position").scroll_into_view_if_needed()
        page.wait_for_timeout(500)
        page.screenshot(path=str(artifacts / f"basemap-detail-{width}.png"), full_page=False)
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width + 1
        assert not errors
    finally:
        context.close()
