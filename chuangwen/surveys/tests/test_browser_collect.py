"""The enumerator's phone form in a real browser: answers queue on the phone while the network
is down, go out when it returns, and a reply lost on the way back stores nothing twice."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.test import Client

from chuangwen.conftest import build_world
from chuangwen.surveys.models import Response, ResponseStatus
from chuangwen.surveys.tests.factories import questionnaire, round_of
from chuangwen.tests.browser.conftest import browser  # noqa: F401 - the shared fixture

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def db(fn):
    """Run an ORM call off the thread where Playwright keeps its event loop running."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(fn).result()


@pytest.fixture
def setup(transactional_db):
    world = build_world()
    round_ = round_of(questionnaire(world))
    client = Client()
    client.force_login(world.enumerator_a)
    return world, round_, client.cookies["sessionid"].value


def open_form(browser, live_server, setup):  # noqa: F811
    world, round_, session = setup
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    host = live_server.url.split("//", 1)[1].split(":")[0]
    context.add_cookies([{"name": "sessionid", "value": session, "domain": host, "path": "/"}])
    page = context.new_page()
    page.goto(f"{live_server.url}/surveys/rounds/{round_.pk}/collect/")
    return context, page


def fill(page, world, age="30"):
    page.select_option("#unit_id", str(world.community_a.pk))
    page.fill("#q_age", age)
    if int(age) > 65:
        return
    for choice in ("residence_yes", "sex_female", "q1_yes", "q2_support", "q3_satisfied", "q4_fairly",
                   "q5_unsatisfied", "q6_no", "q7_8"):  # fmt: skip
        page.click(f"label[for=q_{choice}]")  # what a thumb taps (the rating buttons hide their inputs)


def queued(page, round_) -> int:
    # The site's offline queue (IndexedDB, chuangwen/static/js/cw-queue.js) holds them.
    return page.evaluate("() => window.CwQueue.all().then(items => items.length)")


def wait_queued(page, round_, count: int, seconds: float = 20) -> None:
    """Poll from Python: wait_for_function would eval a string in the page, which the CSP forbids."""
    for _ in range(int(seconds * 5)):
        if queued(page, round_) == count:
            return
        page.wait_for_timeout(200)
    raise AssertionError(f"{queued(page, round_)} interviews queued, expected {count}")


def test_an_interview_saved_offline_is_sent_once_the_network_returns(setup, live_server, browser):  # noqa: F811
    world, round_, _session = setup
    context, page = open_form(browser, live_server, setup)
    try:
        context.set_offline(True)
        fill(page, world)
        page.click("#cw-survey-form button[type=submit]")
        wait_queued(page, round_, 1)
        assert page.input_value("#q_age") == "", "the form is cleared for the next interview"
        assert db(lambda: Response.objects.count()) == 0
        context.set_offline(False)
        wait_queued(page, round_, 0)
        assert db(lambda: list(Response.objects.values_list("status", flat=True))) == [
            ResponseStatus.COMPLETE
        ]
    finally:
        context.close()


def test_a_reply_lost_on_the_way_back_is_retried_and_stored_once(setup, live_server, browser):  # noqa: F811
    world, round_, _session = setup
    context, page = open_form(browser, live_server, setup)
    lost = []

    def lose_first_reply(route):
        if not lost:
            route.fetch()  # the server stores the interview…
            lost.append(True)
            route.abort("connectionreset")  # …but the phone never hears back
        else:
            route.continue_()

    try:
        page.route("**/api/surveys/rounds/*/responses", lose_first_reply)
        fill(page, world)
        page.click("#cw-survey-form button[type=submit]")
        wait_queued(page, round_, 0)
        assert lost, "the first reply was dropped"
        assert db(lambda: Response.objects.count()) == 1
    finally:
        context.close()


def test_a_respondent_outside_the_population_ends_the_interview(setup, live_server, browser):  # noqa: F811
    world, round_, _session = setup
    context, page = open_form(browser, live_server, setup)
    try:
        fill(page, world, age="70")
        assert page.locator("fieldset[data-name=q3]").is_hidden(), "later questions are hidden"
        assert page.locator(".cw-screened").first.is_visible()
        page.click("#cw-survey-form button[type=submit]")
        wait_queued(page, round_, 0)
        assert db(lambda: list(Response.objects.values_list("status", flat=True))) == [
            ResponseStatus.SCREENED_OUT
        ]
    finally:
        context.close()
