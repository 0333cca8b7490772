"""In a real browser: a liaison files an activity with photos; the progress bar climbs to 100%
and the page moves to the stored submission; an interrupted upload says so and the same form
can be sent again (the server side of a retry, one submission per key, is in test_services)."""

from __future__ import annotations

import pytest

from chuangwen.conftest import PASSWORD, build_world
from chuangwen.materials.tests.factories import jpeg, make_requirement, scene

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
# Kept across the navigation that follows a successful upload (same origin, same tab).
RECORD_PROGRESS = """
document.addEventListener("DOMContentLoaded", function () {
  var bar = document.querySelector("[data-progress]");
  if (!bar) { return; }
  new MutationObserver(function () {
    var now = Number(bar.getAttribute("aria-valuenow") || 0);
    var seen = Number(sessionStorage.getItem("cw-progress-max") || 0);
    if (!bar.classList.contains("d-none") && now > seen) { sessionStorage.setItem("cw-progress-max", String(now)); }
  }).observe(bar, { attributes: true });
});
"""


@pytest.fixture
def live_requirement(transactional_db, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    world = build_world()
    requirement = make_requirement(world)
    files = []
    for seed in (1, 2):
        path = tmp_path / f"IMG_000{seed}.jpg"
        path.write_bytes(jpeg(scene(seed, (1600, 1200))))
        files.append(str(path))
    return {"pk": requirement.pk, "files": files}


def test_a_phone_upload_shows_its_progress_and_can_be_sent_again_after_a_drop(
    live_server, live_requirement, browser, artifacts
):
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    context.add_init_script(RECORD_PROGRESS)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", "liaison_a")
        page.fill("input[name=password]", PASSWORD)
        page.locator("form button[type=submit]").click()
        page.wait_for_url(f"{live_server.url}/")
        page.goto(f"{live_server.url}/materials/requirements/{live_requirement['pk']}/submit/")
        page.fill("input[name=title]", "诚信经营主题宣传活动")
        page.fill("input[name=activity_date]", __import__("datetime").date.today().isoformat())
        page.fill("input[name=place]", "松林街道文化广场")
        page.fill("input[name=organiser]", "松林街道办事处")
        page.fill("input[name=participants]", "25")
        page.set_input_files("#cw-files", live_requirement["files"])

        # The first attempt is cut off: the page says so and keeps the form as it was.
        page.route("**/submit/", lambda route: route.abort("connectionreset"))
        page.locator("form[data-upload-form] button[type=submit]").click()
        errors = page.locator("[data-upload-errors]")
        errors.wait_for(state="visible")
        assert page.locator("form[data-upload-form] button[type=submit]").is_enabled()
        page.screenshot(path=str(artifacts / "materials-upload-interrupted.png"))

        page.unroute("**/submit/")
        page.locator("form[data-upload-form] button[type=submit]").click()
        page.wait_for_url("**/materials/submissions/*/")
        assert page.evaluate("sessionStorage.getItem('cw-progress-max')") == "100"
        # One submission with both photos (the ORM cannot be used while Playwright's loop runs).
        assert page.locator("img[src*='/materials/photos/']").count() == 2
        page.screenshot(path=str(artifacts / "materials-upload-done.png"))
        page.goto(f"{live_server.url}/materials/")
        page.screenshot(path=str(artifacts / "materials-due-phone.png"))
    finally:
        context.close()
