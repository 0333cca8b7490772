"""In Chromium, in Chinese: the office re-imports a task table whose wording was edited and the
preview shows the row as 修改 with the difference, the indicator each row joins, and 长期 for
ongoing work; a screenshot goes to test-artifacts/ for a human to look at."""

from __future__ import annotations

import pytest

from chuangwen.conftest import PASSWORD, build_world
from chuangwen.tasks import services
from chuangwen.tasks.importing import read_task_table
from chuangwen.tasks.tests.sheets import office_table, xlsx
from chuangwen.tests.browser.conftest import artifacts, browser  # noqa: F401 (the shared Chromium fixtures)

pytestmark = pytest.mark.browser


@pytest.fixture
def edited_table(transactional_db, tmp_path):
    world = build_world()
    rows, merges = office_table()
    services.import_tasks(read_task_table(xlsx(rows, merges), world.campaign), world.office)
    rows[5][3] = "Ⅲ-16 注册志愿者占建成区常住人口比例达到10%以上"
    rows[5][10] = "长期坚持"
    path = tmp_path / "任务分解表.xlsx"
    path.write_bytes(xlsx(rows, merges))
    return str(path)


def test_the_preview_of_an_edited_table_shows_changes_and_ongoing_work(
    live_server,
    edited_table,
    browser,  # noqa: F811
    artifacts,  # noqa: F811
):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", "office")
        page.fill("input[name=password]", PASSWORD)
        page.locator("form button[type=submit]").click()
        page.wait_for_url(f"{live_server.url}/")
        page.goto(f"{live_server.url}/tasks/import/")
        page.set_input_files("input[name=file]", edited_table)
        page.locator("form[enctype] button[type=submit]").last.click()
        page.wait_for_selector("tr[data-status]")
        changed = page.locator('tr[data-status="changed"]')
        assert changed.count() == 1  # the reworded standard, now 长期坚持 too
        text = changed.inner_text()
        assert "修改" in text and "达到10%以上" in text and "长期" in text
        assert page.locator('tr[data-status="new"]').count() == 0
        assert page.locator('tr[data-status="same"]').count() == 4
        assert "Ⅲ-16" in page.locator("tbody").inner_text()
        page.screenshot(path=str(artifacts / "tasks-import-preview-changes.png"), full_page=True)
    finally:
        context.close()
