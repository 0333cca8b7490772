"""The office opens a generated bulletin and a bulletin being generated, in Chromium."""

from __future__ import annotations

import pytest

from chuangwen.bulletins import services
from chuangwen.bulletins.models import Bulletin, JobState
from chuangwen.bulletins.tests.factories import draft, sample_problems
from chuangwen.conftest import PASSWORD, build_world

pytestmark = pytest.mark.browser


@pytest.fixture
def live_bulletins(transactional_db):
    """Committed rows: a generated draft of the whole district, and street B's draft still queued."""
    world = build_world()
    sample_problems(world)
    generated = services.request_generation(draft(world), world.office)  # runs at commit (immediate huey)
    queued = draft(world, street=world.street_b)
    Bulletin.objects.filter(pk=queued.pk).update(
        job_state=JobState.QUEUED, job_token=1, progress=40, job_stage="Scaling photos"
    )
    return world, Bulletin.objects.get(pk=generated.pk), queued


def _sign_in(page, live_server, world) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", world.office.username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")


def test_the_office_reads_a_bulletin_and_watches_one_being_generated(
    live_server, live_bulletins, browser, artifacts
):
    world, generated, queued = live_bulletins
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        _sign_in(page, live_server, world)
        page.goto(f"{live_server.url}/bulletins/{generated.pk}/")
        page.screenshot(path=str(artifacts / "bulletin-detail.png"), full_page=True)
        assert page.locator("#bulletin-job").is_hidden(), "no progress bar once the files are written"
        assert page.get_by_role("link", name="Download PDF").is_visible()
        assert "松林农贸市场" in page.content()
        assert page.evaluate("document.documentElement.scrollWidth") <= 1280

        statuses = []
        page.on("response", lambda r: statuses.append(r.status) if "/status" in r.url else None)
        page.goto(f"{live_server.url}/bulletins/{queued.pk}/")
        page.wait_for_timeout(1800)  # the page polls the status route every second
        page.screenshot(path=str(artifacts / "bulletin-generating.png"), full_page=True)
        assert page.locator("#bulletin-job .progress-bar").is_visible()
        assert page.locator("[data-percent]").inner_text() == "40%"
        assert statuses and all(s == 200 for s in statuses)

        page.goto(f"{live_server.url}/bulletins/")
        page.screenshot(path=str(artifacts / "bulletin-archive.png"), full_page=True)
    finally:
        context.close()


def test_discarding_a_draft_asks_first_and_a_cancel_keeps_it(live_server, live_bulletins, browser, artifacts):
    world, generated, queued = live_bulletins
    context = browser.new_context(viewport={"width": 390, "height": 844})  # a phone
    page = context.new_page()
    questions: list[str] = []
    try:
        _sign_in(page, live_server, world)
        page.goto(f"{live_server.url}/bulletins/{generated.pk}/")  # every button: files ready
        page.screenshot(path=str(artifacts / "bulletin-detail-phone.png"))
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        url = f"{live_server.url}/bulletins/{queued.pk}/"
        page.goto(url)
        page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
        page.get_by_test_id("discard").click()
        page.wait_for_timeout(300)
        assert questions and "cannot be brought back" in questions[0]
        assert page.url == url, "a cancelled confirmation sends nothing"
        page.once("dialog", lambda dialog: dialog.accept())
        page.get_by_test_id("discard").click()
        page.wait_for_url(f"{live_server.url}/bulletins/")
        assert "The draft was discarded." in page.content()
        page.screenshot(path=str(artifacts / "bulletin-discarded.png"), full_page=True)
        assert page.goto(url).status == 404
    finally:
        context.close()
