"""In Debian's Chromium with Playwright's offline mode: the app is opened once with a signal,
then field pages never opened before open without one, an inspection with five photos is
made offline, the browser's pages are closed, and when the signal returns every entry arrives
once, with the time it was captured."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from PIL import Image

from chuangwen.conftest import PASSWORD, build_world
from chuangwen.inspections.tests.fixtures import inspection
from chuangwen.points.models import ChecklistItem, PointType
from chuangwen.points.seed import seed_reference

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
QUEUE_JS = (
    "() => window.CwQueue.all().then(items => items.map(i => [i.status, (i.files || []).length, i.reason]))"
)


@pytest.fixture
def live_field(transactional_db, tmp_path):
    """The cast, an open round with street A's point, and five camera-sized photos."""
    seed_reference(PointType, ChecklistItem)
    world = build_world()
    made = inspection(world)
    # The fixture's round already has one observation: the test fills two other items.
    items = list(
        made.rp.point.point_type.items.filter(is_active=True)
        .exclude(pk=made.observation.item_id)
        .order_by("number")
    )
    photos = []
    for n in range(5):
        path = tmp_path / f"photo{n}.jpg"
        Image.new("RGB", (3200, 2400), (40 * n, 120, 200 - 30 * n)).save(path, "JPEG", quality=92)
        photos.append(str(path))
    return {
        "world": world,
        "rp": made.rp.pk,
        "items": [i.pk for i in items],
        "round": made.round.pk,
        "photos": photos,
    }


def wait_queue(page, condition: str, timeout: float = 60) -> list:
    """Poll the phone's queue until `condition` (JS over `items`) holds; returns the items."""
    deadline = time.monotonic() + timeout
    while True:
        items = page.evaluate(QUEUE_JS)
        if page.evaluate(f"(items) => {condition}", items):
            return items
        if time.monotonic() > deadline:
            raise AssertionError(f"queue never reached {condition}: {items}")
        page.wait_for_timeout(200)


def sign_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(f"{base_url}/")


def open_app_online(context, base_url: str, username: str = "inspector"):
    page = context.new_page()
    sign_in(page, base_url, username)
    # The worker keeps today's field pages once the app has been opened with a signal.
    page.wait_for_function(
        "() => Number(document.documentElement.getAttribute('data-cw-precached')) > 0", timeout=30000
    )
    return page


def test_an_inspection_made_offline_with_five_photos_arrives_once_with_its_capture_time(
    live_server, live_field, browser, monkeypatch, artifacts
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # the ORM checks beside Playwright's loop
    from chuangwen.inspections.models import Observation

    base = live_server.url
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    try:
        page = open_app_online(context, base)
        page.close()

        context.set_offline(True)
        page = context.new_page()
        visit_url = f"{base}/inspections/visits/{live_field['rp']}/"
        started = time.perf_counter()
        page.goto(visit_url)  # never opened before: the worker's copy
        page.wait_for_selector("form[data-obs-form]")
        opened_ms = (time.perf_counter() - started) * 1000
        assert opened_ms < 5000  # the 500 ms target is measured by `chuangwen bench offline`
        page.wait_for_function(
            "() => !document.getElementById('cw-offline-bar').classList.contains('d-none')"
        )
        assert page.locator("[data-cw-offline-flag]").is_visible()

        first, second = live_field["items"][0], live_field["items"][1]
        before = dt.datetime.now(dt.UTC)
        page.locator(f"label[for='r{first}f']").click()
        page.locator(f"form[data-item='{first}'] input[name=photos]").set_input_files(live_field["photos"])
        page.locator(f"label[for='r{second}p']").click()
        wait_queue(page, "items.length === 3")
        queued = page.evaluate(QUEUE_JS)
        assert [q[1] for q in queued] == [0, 5, 0]
        page.wait_for_function(
            "() => document.getElementById('cw-offline-bar').getAttribute('data-waiting') === '3'"
        )
        page.evaluate("() => window.scrollTo(0, 0)")
        page.screenshot(path=str(artifacts / "offline-visit-390.png"), full_page=False)
        # The photos were scaled on the phone to what the server keeps.
        sizes = page.evaluate(
            "() => window.CwQueue.all().then(items => items[1].files.map(f => f.blob.size))"
        )
        assert all(size < 1_000_000 for size in sizes)
        page.close()  # the browser's pages are closed while still offline
        captured_by = dt.datetime.now(dt.UTC)
        assert not Observation.objects.filter(
            round_point_id=live_field["rp"], item_id__in=[first, second]
        ).exists()

        context.set_offline(False)
        page = context.new_page()
        page.goto(f"{base}/")  # any page sends what is waiting
        wait_queue(page, "items.length === 0")
        observations = {
            o.item_id: o
            for o in Observation.objects.filter(round_point_id=live_field["rp"], item_id__in=[first, second])
        }
        assert set(observations) == {first, second}
        failed = observations[first]
        assert failed.result == "fail"
        assert failed.photos.count() == 5
        assert before - dt.timedelta(seconds=1) <= failed.observed_at <= captured_by
        assert failed.received_at > captured_by
        assert observations[second].result == "pass"
        # A resend of the same entries (a lost answer) is stored once.
        page.goto(visit_url)
        page.wait_for_selector(f"form[data-item='{first}'].cw-saved")
        assert Observation.objects.filter(round_point_id=live_field["rp"]).count() == 3
    finally:
        context.close()
    # The office sees the phone (it said which device it is) and may revoke it.
    office = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    try:
        page = office.new_page()
        sign_in(page, base, "office")
        page.goto(f"{base}/offline/devices/")
        # The inspector's phone, and the office's own browser (it says which device it is too).
        # The office's browser announces itself after its first page loads: wait for it.
        for _ in range(50):
            if page.locator("[data-device] form button").count() == 2:
                break
            page.wait_for_timeout(200)
            page.reload()
        assert page.locator("[data-device] form button").count() == 2
        assert page.locator("[data-device]", has_text="inspector").count() == 1
        page.screenshot(path=str(artifacts / "offline-devices-1440.png"), full_page=True)
        page.set_viewport_size(PHONE)
        page.screenshot(path=str(artifacts / "offline-devices-390.png"), full_page=True)
    finally:
        office.close()


def test_an_entry_sent_after_the_round_closed_is_kept_with_the_reason(
    live_server, live_field, browser, monkeypatch
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from chuangwen.inspections.models import Observation, Round, RoundStatus

    base = live_server.url
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    try:
        page = open_app_online(context, base)
        page.goto(f"{base}/inspections/visits/{live_field['rp']}/")
        context.set_offline(True)
        first = live_field["items"][0]
        page.locator(f"label[for='r{first}f']").click()
        wait_queue(page, "items.length === 1")
        Round.objects.filter(pk=live_field["round"]).update(status=RoundStatus.CLOSED)  # the office closes it

        context.set_offline(False)  # the page sends as soon as the network is back
        wait_queue(page, "items.length === 1 && items[0][0] === 'held'")
        held = page.evaluate(QUEUE_JS)[0]
        assert "关闭" in held[2] or "closed" in held[2]
        page.wait_for_selector("[data-cw-held]:not(.d-none)")
        assert page.locator(f"form[data-item='{first}']").get_attribute("class").count("cw-failed") == 1
        assert not Observation.objects.filter(round_point_id=live_field["rp"], item_id=first).exists()

        # Reopened by the office: "try again" sends it, once.
        Round.objects.filter(pk=live_field["round"]).update(status=RoundStatus.OPEN)
        page.locator("[data-cw-held] summary").click()
        page.locator("[data-cw-retry]").click()
        wait_queue(page, "items.length === 0")
        assert Observation.objects.filter(round_point_id=live_field["rp"], item_id=first).count() == 1
    finally:
        context.close()


def test_a_problem_report_and_an_interview_made_offline_arrive_once_with_their_capture_time(
    live_server, live_field, browser, monkeypatch, tmp_path
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from chuangwen.problems.models import Problem
    from chuangwen.surveys.models import Response
    from chuangwen.surveys.tests.factories import questionnaire, round_of
    from chuangwen.surveys.tests.test_browser_collect import fill

    world = live_field["world"]
    round_ = round_of(questionnaire(world))
    base = live_server.url
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    try:
        page = open_app_online(context, base, "inspector")
        page.close()
        context.set_offline(True)
        page = context.new_page()
        page.goto(f"{base}/problems/report/")  # never opened: the kept copy
        category = page.locator("select[name=category] option").nth(1).get_attribute("value")
        page.select_option("select[name=category]", category)
        page.fill("textarea[name=description]", "桥下垃圾堆放")
        page.fill("input[name=address]", "松林大道桥下")
        page.set_input_files("input[name=photos]", live_field["photos"][:2])
        made_at = dt.datetime.now(dt.UTC)
        page.locator("#cw-report-form button[type=submit]").click()
        page.wait_for_selector("[data-cw-report-queued]:not(.d-none)")
        wait_queue(page, "items.length === 1 && items[0][1] === 2")
        page.close()
        assert not Problem.objects.filter(description="桥下垃圾堆放").exists()

        # The enumerator on another phone.
        phone = browser.new_context(viewport=PHONE, locale="zh-CN")
        try:
            epage = open_app_online(phone, base, "enumerator_a")
            epage.close()
            phone.set_offline(True)
            epage = phone.new_page()
            epage.goto(f"{base}/surveys/rounds/{round_.pk}/collect/")
            fill(epage, world)
            epage.click("#cw-survey-form button[type=submit]")
            wait_queue(epage, "items.length === 1")
            epage.close()
            assert Response.objects.count() == 0
            phone.set_offline(False)
            epage = phone.new_page()
            epage.goto(f"{base}/")
            wait_queue(epage, "items.length === 0")
        finally:
            phone.close()

        context.set_offline(False)
        page = context.new_page()
        page.goto(f"{base}/")
        wait_queue(page, "items.length === 0")
        problem = Problem.objects.get(description="桥下垃圾堆放")
        assert problem.photos.count() == 2
        assert abs((problem.reported_at - made_at).total_seconds()) < 30
        response = Response.objects.get()
        assert response.submitted_at < dt.datetime.now(dt.UTC)
        assert (
            Response.objects.count() == 1 and Problem.objects.filter(description="桥下垃圾堆放").count() == 1
        )
    finally:
        context.close()
