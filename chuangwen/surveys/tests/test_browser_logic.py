"""ODK logic on the phone page (issue 22), in Chromium at 390 px: relevance, constraints with
their messages, cascading selects, the screening column, offline queueing, and the server
checking the same answers. The vendored evaluator also runs the shared XPath cases."""

from __future__ import annotations

import json
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.test import Client

from chuangwen.conftest import build_world
from chuangwen.surveys import services
from chuangwen.surveys.models import Answer, Questionnaire, Response, ResponseStatus
from chuangwen.surveys.tests.factories import round_of
from chuangwen.surveys.tests.test_logic import FORM
from chuangwen.surveys.xlsform import parse_xlsform
from chuangwen.tests.browser.conftest import browser  # noqa: F401 - the shared fixture

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
CASES = json.loads((Path(__file__).parent / "xpath_cases.json").read_text())["cases"]
SHOTS = Path(tempfile.gettempdir()) / "xlsform-shots"

# Builds the instance of a case and evaluates it with window.OpenRosaXPath (the vendored file).
RUN_CASES = """(cases) => {
  const evaluator = window.OpenRosaXPath();
  const evaluate = (...args) => evaluator.evaluate(...args);
  return cases.map((c) => {
    const doc = document.implementation.createDocument(null, 'data', null);
    const paths = {};
    for (const [name, value] of Object.entries(c.values)) {
      const node = doc.createElement(name); node.textContent = value; doc.documentElement.appendChild(node);
      paths[name] = '/data/' + name;
    }
    const expr = c.expr.replace(/\\$\\{([A-Za-z_][A-Za-z0-9_.-]*)\\}/g, (m, n) => paths[n]);
    const context = c.context ? doc.documentElement.getElementsByTagName(c.context)[0] : doc.documentElement;
    if (c.kind === 'string') {
      return evaluate(expr, context, null, XPathResult.STRING_TYPE, null).stringValue;
    }
    return evaluate(expr, context, null, XPathResult.BOOLEAN_TYPE, null).booleanValue;
  });
}"""


def db(fn):
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(fn).result()


@pytest.fixture
def setup(transactional_db):
    world = build_world()
    result = parse_xlsform(FORM)
    q = services.create_questionnaire(
        world.office, world.campaign, "环境问卷", "citizen", design=result.design
    )
    services.set_questionnaire_status(q, "open", world.office)
    round_ = round_of(Questionnaire.objects.get(pk=q.pk))
    client = Client()
    client.force_login(world.enumerator_a)
    return world, round_, client.cookies["sessionid"].value


def open_form(browser, live_server, setup, viewport=PHONE):  # noqa: F811
    world, round_, session = setup
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    host = live_server.url.split("//", 1)[1].split(":")[0]
    context.add_cookies([{"name": "sessionid", "value": session, "domain": host, "path": "/"}])
    page = context.new_page()
    page.goto(f"{live_server.url}/surveys/rounds/{round_.pk}/collect/")
    return context, page


def queued(page, round_) -> int:
    # The site's offline queue (IndexedDB, chuangwen/static/js/cw-queue.js) holds them.
    return page.evaluate("() => window.CwQueue.all().then(items => items.length)")


def wait_queued(page, round_, count: int, seconds: float = 20) -> None:
    for _ in range(int(seconds * 5)):
        if queued(page, round_) == count:
            return
        page.wait_for_timeout(200)
    raise AssertionError(f"{queued(page, round_)} interviews queued, expected {count}")


def test_the_vendored_evaluator_agrees_with_the_shared_cases(setup, live_server, browser):  # noqa: F811
    context, page = open_form(browser, live_server, setup)
    try:
        got = page.evaluate(RUN_CASES, CASES)
        assert got == [c["expect"] for c in CASES]
    finally:
        context.close()


def test_relevance_constraints_and_cascades_on_the_phone(setup, live_server, browser):  # noqa: F811
    world, round_, _session = setup
    context, page = open_form(browser, live_server, setup)
    try:
        page.select_option("#unit_id", str(world.community_a.pk))
        page.fill("#q_age", "130")
        msg = page.locator("fieldset[data-name=age] .cw-logic-msg")
        assert msg.is_visible() and msg.inner_text() == "年龄应在0到119之间"
        page.click("#cw-survey-form button[type=submit]")
        assert queued(page, round_) == 0, "a failing constraint keeps the interview on the form"
        page.fill("#q_age", "30")
        assert msg.is_hidden()
        page.click("label[for=q_lived_no]")
        assert page.locator("fieldset[data-name=q1]").is_hidden(), "the group is skipped"
        page.click("label[for=q_lived_yes]")
        assert page.locator("fieldset[data-name=q1]").is_visible()
        page.click("label[for=q_q1_no]")
        assert page.locator("fieldset[data-name=why]").is_visible()
        page.click("label[for=q_district_east]")
        assert page.locator("label[for=q_street_e1]").is_visible()
        assert page.locator("label[for=q_street_w1]").is_hidden(), (
            "the choice filter hides the west's streets"
        )
        assert page.evaluate("window.cwSurveyLogicMs") < 16
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / "logic-390.png"), full_page=True)
    finally:
        context.close()


def test_skipped_answers_queued_offline_are_not_stored(setup, live_server, browser):  # noqa: F811
    world, round_, _session = setup
    context, page = open_form(browser, live_server, setup)
    try:
        context.set_offline(True)
        page.select_option("#unit_id", str(world.community_a.pk))
        page.fill("#q_age", "70")
        page.click("label[for=q_lived_yes]")
        page.click("label[for=q_q1_no]")
        page.fill("#q_why", "垃圾桶太少")
        page.click("label[for=q_lived_no]")  # changes mind: the group is skipped after all
        page.click("label[for=q_district_west]")
        page.click("label[for=q_street_w1]")
        page.click("#cw-survey-form button[type=submit]")
        wait_queued(page, round_, 1)
        item = page.evaluate("() => window.CwQueue.all().then(items => items[0].json)")
        assert "why" not in item["answers"] and "q1" not in item["answers"]
        context.set_offline(False)
        wait_queued(page, round_, 0)
        response = db(lambda: Response.objects.get())
        assert response.status == ResponseStatus.COMPLETE
        stored = db(
            lambda: dict(Answer.objects.filter(response=response).values_list("question__name", "text"))
        )
        assert "why" not in stored and "q1" not in stored
        assert stored["senior"] == "yes"  # the calculation, done again by the server
    finally:
        context.close()


def test_the_screening_column_ends_the_interview_on_the_phone(setup, live_server, browser):  # noqa: F811
    world, round_, _session = setup
    context, page = open_form(browser, live_server, setup)
    try:
        page.select_option("#unit_id", str(world.community_a.pk))
        page.fill("#q_age", "16")
        assert page.locator("fieldset[data-name=lived]").is_hidden()
        page.click("#cw-survey-form button[type=submit]")
        wait_queued(page, round_, 0)
        assert db(lambda: list(Response.objects.values_list("status", flat=True))) == [
            ResponseStatus.SCREENED_OUT
        ]
    finally:
        context.close()


def test_the_page_at_desktop_width(setup, live_server, browser):  # noqa: F811
    context, page = open_form(browser, live_server, setup, viewport={"width": 1440, "height": 900})
    try:
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / "logic-1440.png"), full_page=True)
        assert page.locator("fieldset[data-name=age] legend").inner_text().startswith("您的年龄？")
    finally:
        context.close()
