"""In a real browser, in Chinese: from an empty database (one superuser, as `createsuperuser`
leaves it) to a campaign with one task assigned and one point inspected, without ever opening
the admin site."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from chuangwen.accounts.models import User
from chuangwen.conftest import PASSWORD
from chuangwen.indicators.tests.fixtures import xlsx

pytestmark = pytest.mark.browser
INSPECTOR_PASSWORD = "Qs-Insp-2027!x"
INSPECTOR_NEW_PASSWORD = "Qs-Insp-2027!y-new"


@pytest.fixture
def empty_install(transactional_db):
    """Nothing but the superuser (the flush between browser tests empties even the rows that
    migrations load, like the problem categories: setup loads them again)."""
    User.objects.create_superuser("root", password=PASSWORD)


def task_table(tmp_path) -> str:
    path = tmp_path / "任务分解表.xlsx"
    path.write_bytes(
        xlsx(
            [
                ["青石区创建工作任务分解表"],
                ["序号", "测评项目", "测评内容", "测评标准", "测评方式", "牵头单位", "责任单位", "完成时限"],
                [
                    1,
                    "Ⅰ-3 培育文明道德风尚",
                    "Ⅱ-8 志愿服务制度化",
                    "Ⅲ-17 志愿服务活动",
                    "材料审核",
                    "松林街道",
                    "松林街道",
                    f"{dt.date.today().year + 1}年6月30日",
                ],
            ]
        )
    )
    return str(path)


def sign_in(page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.locator("form button[type=submit]").click()
    page.wait_for_load_state()


def submit(page, form_selector: str = "main form[method=post]") -> None:
    page.locator(form_selector).last.locator("button[type=submit]").first.click()
    page.wait_for_load_state()


def test_an_office_goes_from_an_empty_database_to_an_inspected_point_in_chinese(
    live_server, empty_install, browser, artifacts, tmp_path
):
    base = live_server.url
    table = task_table(tmp_path)
    inspection = (dt.date.today() + dt.timedelta(days=120)).isoformat()
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    visited: list[str] = []
    context.on("request", lambda request: visited.append(request.url))
    page = context.new_page()
    try:
        # The superuser signs in and is taken to setup, in Chinese.
        sign_in(page, base, "root", PASSWORD)
        assert page.url == f"{base}/setup/", "the first superuser lands on setup"
        assert page.locator("html").get_attribute("lang") == "zh-hans"
        assert "设置创建工作" in page.locator("h1").inner_text()

        # 1. The root unit and the campaign office.
        page.fill("input[name=name]", "青石区")
        page.fill("input[name=code]", "330106")
        page.select_option("select[name=kind]", "district")
        page.fill("input[name=office_name]", "青石区文明办")
        submit(page)
        assert "已创建根单位 青石区" in page.content()

        # 2. The superuser runs the office itself.
        page.get_by_role("button", name="由我担任创建办管理员").click()
        page.wait_for_load_state()

        # 3. The campaign; the phases spread from today to the inspection.
        page.fill("input[name=name]", "青石区创建工作")
        page.select_option("select[name=level]", "county")
        page.fill("input[name=inspection_start]", inspection)
        page.get_by_role("button", name="保存创建周期").click()
        page.wait_for_load_state()
        assert "已创建创建周期 青石区创建工作" in page.content()

        # 4. The shipped catalogues.
        page.get_by_role("button", name="载入").click()
        page.wait_for_load_state()
        assert page.locator("[data-step=catalogues]").get_attribute("data-done") == "1"

        # 5. The unit tree, by hand: one street.
        page.get_by_role("link", name="手工录入单位").click()
        page.fill("input[name=name]", "松林街道")
        page.fill("input[name=code]", "330106-01")
        page.select_option("select[name=kind]", "street")
        page.select_option("select[name=parent]", label="青石区")
        submit(page)
        page.goto(f"{base}/setup/")
        assert page.locator("[data-step=units]").get_attribute("data-done") == "1"

        # 6. People and roles: an inspector of the office.
        page.get_by_role("link", name="为人员开通账号并分配角色").click()
        page.fill("input[name=username]", "inspector1")
        page.fill("input[name=display_name]", "督查员小李")
        page.fill("input[name=unit]", "青石区文明办")
        page.select_option("select[name=role]", "inspector")
        page.fill("input[name=password]", INSPECTOR_PASSWORD)
        submit(page)
        page.goto(f"{base}/setup/")
        page.screenshot(path=str(artifacts / "setup-done.png"), full_page=True)
        gaps = page.get_by_test_id("setup-gaps").inner_text()
        assert "尚无点位" in gaps and "尚无任务" in gaps, "the checklist says what is still empty"

        # The office's home keeps the checklist.
        page.goto(f"{base}/")
        assert "尚无点位" in page.content()

        # One task, assigned to the street, through the task table import.
        page.goto(f"{base}/tasks/import/")
        page.set_input_files("input[name=file]", table)
        page.get_by_role("button", name="检查（尚未写入）").click()
        page.wait_for_load_state()
        page.get_by_role("button", name="写入", exact=True).click()
        page.wait_for_load_state()
        page.goto(f"{base}/tasks/")
        board = page.locator("main").inner_text()
        assert "志愿服务活动" in board and "松林街道" in board

        # One point of the street, in a round the office opens.
        page.goto(f"{base}/points/new/")
        page.fill("input[name=name]", "松林路")
        page.select_option("select[name=point_type]", index=1)
        page.select_option("select[name=unit]", label="松林街道")
        submit(page)
        assert re.search(r"/points/\d+/$", page.url), page.locator("main").inner_text()[:2000]
        page.goto(f"{base}/inspections/new/")
        page.fill("input[name=name]", "第一轮督查")
        page.select_option("select[name=organizer]", label="青石区文明办")
        page.select_option("select[name=team]", label="青石区文明办")
        submit(page)
        round_url = page.url
        assert re.search(r"/inspections/\d+/$", round_url), page.locator("main").inner_text()[:2000]
        page.goto(f"{round_url}add-points/")
        page.locator("input[name=point]").first.check()
        submit(page)
        page.get_by_role("button", name="开启本轮").click()
        page.wait_for_load_state()
        page.goto(f"{base}/")
        assert "尚无点位" not in page.content(), "a point is no longer missing"

        # The inspector signs in (changing the password the office chose) and inspects the point.
        inspector = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
        inspector.on("request", lambda request: visited.append(request.url))
        phone = inspector.new_page()
        sign_in(phone, base, "inspector1", INSPECTOR_PASSWORD)
        assert "/accounts/password/" in phone.url, "a password somebody else chose is replaced first"
        phone.fill("input[name=old_password]", INSPECTOR_PASSWORD)
        phone.fill("input[name=new_password1]", INSPECTOR_NEW_PASSWORD)
        phone.fill("input[name=new_password2]", INSPECTOR_NEW_PASSWORD)
        submit(phone)
        phone.goto(round_url)
        phone.locator("main a[href*='/inspections/visits/']").first.click()
        phone.wait_for_load_state()
        item = phone.locator("form[data-obs-form]").first
        item.locator("label", has_text="合格").first.click()
        phone.wait_for_function("() => document.querySelector('form[data-obs-form].cw-saved') !== null")
        phone.reload()
        assert "cw-saved" in phone.locator("form[data-obs-form]").first.get_attribute("class")
        phone.screenshot(path=str(artifacts / "first-run-inspected.png"), full_page=True)
        inspector.close()

        assert not [url for url in visited if "/admin/" in url], "no admin page was needed"
    finally:
        context.close()
