"""Every page of the permission matrix on a 390×844 phone, in Chinese.

For each page the office may open (and, for the others, the first role that may), the test fails
where:
- the document is wider than the viewport (the page scrolls sideways);
- a cell holding text is squeezed narrower than three characters (Chinese wraps a character a
  line rather than overflow, so a table can "fit" by becoming unreadable);
- a visible form field has no visible label (a placeholder or a screen-reader-only label is not
  one; row checkboxes in a list may be named by aria-label).

It walks `all_routes()`, so a page added by any app is covered without editing this file.
"""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from chuangwen.conftest import ROLES, World, build_world
from chuangwen.tests.test_permission_matrix import all_routes

try:
    from playwright.sync_api import Error as PlaywrightError
except ImportError:  # pragma: no cover - the browser fixture says how to install it
    PlaywrightError = Exception  # type: ignore[misc,assignment]

pytestmark = pytest.mark.browser

WIDTH, HEIGHT = 390, 844
# Roles tried in order for a page: the office sees every action; the others open the pages the
# office may not (a liaison's filing form, an enumerator's interview).
ORDER = ["office", "liaison_a", "inspector", "enumerator_a", "duty_a", "unit_admin_a", "leader", "liaison_b"]

PROBE = """() => {
  const width = window.innerWidth;
  const problems = [];
  const doc = document.documentElement.scrollWidth;
  if (doc > width) problems.push(`document ${doc}px wide`);
  const visible = (el) => {
    // The content of a closed <details> is not shown, though Chromium may still give it a box.
    const closed = el.closest("details:not([open])");
    if (closed && !el.closest("summary")) return false;
    const box = el.getBoundingClientRect();
    if (box.width < 2 || box.height < 2) return false;
    const style = getComputedStyle(el);
    return style.visibility !== "hidden" && style.display !== "none";
  };
  for (const cell of document.querySelectorAll("td, th")) {
    if (!visible(cell)) continue;
    const text = (cell.innerText || "").replace(/\\s+/g, "");
    if (text.length < 3) continue;
    const style = getComputedStyle(cell);
    const inner = cell.getBoundingClientRect().width - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    const em = parseFloat(style.fontSize);
    if (inner < 3 * em) problems.push(`cell "${text.slice(0, 12)}" is ${Math.round(inner)}px wide`);
  }
  for (const field of document.querySelectorAll("input, select, textarea")) {
    const type = (field.getAttribute("type") || "").toLowerCase();
    if (["hidden", "submit", "button", "reset", "image"].includes(type)) continue;
    if (!visible(field)) continue;
    const labels = Array.from(field.labels || []).filter((label) => {
      if (!visible(label)) return false;
      const box = label.getBoundingClientRect();
      return box.width > 4 && box.height > 4 && (label.innerText || "").trim().length > 0;
    });
    const rowPick = ["checkbox", "radio"].includes(type) && field.closest("td, th") && field.getAttribute("aria-label");
    // In a table cell the column's name is the label (the phone card prints it beside the field).
    const cell = field.closest("td[data-label], th[data-label]");
    const byColumn = cell && cell.getAttribute("data-label").trim().length > 0;
    const by = (field.getAttribute("aria-labelledby") || "").split(/\\s+/).filter(Boolean)
      .map((id) => document.getElementById(id)).filter((el) => el && visible(el) && el.innerText.trim());
    if (!labels.length && !rowPick && !byColumn && !by.length) {
      problems.push(`field "${field.name || field.id}" has no visible label`);
    }
  }
  return problems;
}"""


@pytest.fixture
def pages(transactional_db) -> dict[str, list[tuple[str, str]]]:
    """(route name, url) per role, and a session cookie per role, made before the browser starts."""
    world: World = build_world()
    chosen: dict[str, list[tuple[str, str]]] = {role: [] for role in ORDER}
    for route in all_routes():
        if route.is_api or route.method != "GET":
            continue
        role = next((r for r in ORDER if route.status_for(r) == 200), None)
        if role is None:
            continue
        chosen[role].append((route.name, reverse(route.name, kwargs=route.kwargs(world))))
    cookies = {}
    for role in ORDER:
        client = Client()
        client.force_login(world.users[role])
        cookies[role] = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    chosen["_cookies"] = cookies  # type: ignore[assignment]
    assert set(ORDER) <= set(ROLES)
    return chosen


def test_every_page_fits_a_phone(pages, live_server, browser, artifacts, chinese):
    cookies = pages.pop("_cookies")
    failures: list[str] = []
    checked = 0
    for role, routes in pages.items():
        if not routes:
            continue
        context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT}, locale="zh-CN")
        context.add_cookies(
            [{"name": django_settings.SESSION_COOKIE_NAME, "value": cookies[role], "url": live_server.url}]
        )
        page = context.new_page()
        try:
            for name, url in routes:
                try:
                    response = page.goto(f"{live_server.url}{url}", wait_until="load")
                except PlaywrightError as exc:
                    if "Download is starting" in str(exc):  # an export or a template: not a page
                        continue
                    raise
                if (
                    response is None
                    or response.status != 200
                    or "html" not in (response.header_value("content-type") or "")
                ):
                    continue
                checked += 1
                problems = page.evaluate(PROBE)
                if problems:
                    shot = artifacts / f"phone-{name.replace(':', '-')}.png"
                    page.screenshot(path=str(shot), full_page=True)
                    failures.append(f"{name} as {role} ({url}): " + "; ".join(problems[:6]))
        finally:
            context.close()
    assert checked > 50, f"only {checked} pages were checked"
    assert not failures, f"{len(failures)} pages do not fit a {WIDTH}px phone:\n" + "\n".join(failures)
