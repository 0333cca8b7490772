"""The office opens the month's ranking (with its chart) and a community's star rating in
Chromium; screenshots go to test-artifacts/ for a human to look at."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from chuangwen.assessments import services
from chuangwen.assessments.tests.fixtures import at, first_of_previous_month, problem
from chuangwen.conftest import PASSWORD, World, build_world
from chuangwen.stars import services as star_services
from chuangwen.stars.tests.fixtures import community_liaison
from chuangwen.tests.browser.conftest import artifacts, browser  # noqa: F401 (the shared Chromium fixtures)

pytestmark = pytest.mark.browser


@pytest.fixture
def live_world(transactional_db) -> World:
    world = build_world()
    first = first_of_previous_month()
    for unit, n in ((world.street_a, 3), (world.street_b, 1), (world.community_a, 6)):
        for i in range(n):
            problem(unit, deadline=at(first + dt.timedelta(days=i + 1)))
    services.record_card(
        world.campaign, world.street_b, "red", "暗访发现弄虚作假", world.office, issued_at=at(first)
    )
    month = services.compute_month(world.campaign, first, world.office)
    rating = star_services.open_rating(
        world.campaign, world.community_a, timezone.localdate().year, world.office
    )
    scores = list(rating.scores.order_by("aspect__seq"))
    star_services.save_scores(
        rating,
        [star_services.ScoreInput(s.aspect_id, 9 if i < 8 else 7, "") for i, s in enumerate(scores)],
        community_liaison(world),  # the self-assessment is the community's own
    )
    world.__dict__["_month"] = month
    world.__dict__["_rating"] = rating
    return world


def _sign_in(page, live_server, world) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", world.office.username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")


def test_the_office_sees_the_ranking_chart_and_a_star_rating(live_server, live_world, browser, artifacts):  # noqa: F811
    world = live_world
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = context.new_page()
    try:
        _sign_in(page, live_server, world)
        page.goto(f"{live_server.url}/assessments/months/{world.__dict__['_month'].pk}/")
        page.locator("[data-cw-ranking] canvas").wait_for()
        page.screenshot(path=str(artifacts / "assessment-ranking.png"), full_page=True)
        assert "Monthly assessment" in page.inner_text("h1")
        assert world.street_b.name in page.inner_text("table")

        page.goto(f"{live_server.url}/stars/ratings/{world.__dict__['_rating'].pk}/")
        page.screenshot(path=str(artifacts / "star-rating.png"), full_page=True)
        assert "Self-assessment" in page.inner_text("body") and "Not submitted" in page.inner_text("body")
        # The self-assessment is the community's own: the office reads it, it does not fill it.
        assert page.locator("input[name^=score_]").count() == 0
    finally:
        context.close()
