"""Saved inbox filters shared within a group, and a task form kept as a draft, in a real browser."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from app.cases.people.users import create_user
from tests.browser import pages
from tests.browser.pages import shot
from tests.helpers import TRIAGE_ACCEPT, complete, open_task, register

pytestmark = pytest.mark.browser

PASSWORDS = {"env_handler": "env-handler-pass", "env_handler2": "env-handler-pass-2"}


@pytest.fixture
def handlers(staff):
    create_user("env_handler", ["handler"], "ENV", password=PASSWORDS["env_handler"], display_name="李承办")
    create_user("env_handler2", ["handler"], "ENV", password=PASSWORDS["env_handler2"], display_name="周承办")
    return staff


def sign_in(page, base, username, password=None):
    pages.sign_in(page, base, username, password or PASSWORDS[username])
    page.wait_for_url("**/inbox")


def test_a_filter_saved_for_the_group_is_one_click_away_for_another_member(live_server, page, browser, handlers,
                                                                           deployed, client, complaint, tmp_path):
    register(client, handlers.headers("intake1"), complaint)
    sign_in(page, live_server, "env_handler")
    page.get_by_label("类别").select_option("complaint")
    page.get_by_role("button", name="筛选").click()
    expect(page).to_have_url(re.compile(r"category=complaint"))
    page.get_by_text("保存当前筛选条件").click()
    page.get_by_label("名称").fill("本科投诉")
    page.get_by_label("可见范围").select_option("handler@ENV")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.get_by_role("alert").first).to_contain_text("筛选条件已保存为“本科投诉”。")
    assert "已共享给 handler@ENV" in page.locator("ul.saved").inner_text()
    shot(page, tmp_path, "inbox-saved-filters")

    other = browser.new_context(locale="zh-CN")
    second = other.new_page()
    sign_in(second, live_server, "env_handler2")
    assert "李承办" not in second.locator("ul.saved").inner_text()  # the owner's user name shows, not their display name
    assert "env_handler 共享" in second.locator("ul.saved").inner_text()
    assert second.get_by_role("button", name="删除已存筛选“本科投诉”").count() == 0  # only the owner deletes it
    second.get_by_role("link", name="本科投诉").click()
    expect(second).to_have_url(re.compile(r"category=complaint"))
    expect(second.get_by_label("类别")).to_have_value("complaint")
    shot(second, tmp_path, "inbox-shared-filter")
    other.close()

    page.get_by_role("button", name="删除已存筛选“本科投诉”").click()
    expect(page.locator("ul.saved")).to_have_count(0)
    expect(page.locator(".saved-filters")).to_contain_text("暂无。")


def test_a_draft_comes_back_on_reload_and_is_gone_once_the_task_is_completed(live_server, page, handlers, deployed,
                                                                             client, complaint, tmp_path):
    number = register(client, handlers.headers("intake1"), complaint)["number"]
    complete(client, handlers.headers("intake1"), number, TRIAGE_ACCEPT)
    task = open_task(client, handlers.headers("handler1"), number)
    sign_in(page, live_server, "env_handler")
    page.goto(f"{live_server}/tasks/{task['id']}")
    page.locator("#field-facts").fill("现场核查：夜间施工属实")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.get_by_role("status").first).to_contain_text("草稿已保存。")
    page.reload()
    expect(page.locator("#field-facts")).to_have_value("现场核查：夜间施工属实")
    expect(page.locator("#draft-note")).to_be_visible()
    shot(page, tmp_path, "task-draft")

    page.locator("#field-responsibility").fill("施工单位")
    page.locator("#field-measures").fill("责令停止夜间施工")
    page.get_by_role("button", name="提交办理").click()
    page.wait_for_url(lambda url: task["id"] not in url)
    assert client.get(f"/api/v1/tasks/{task['id']}/draft", headers=handlers.headers("handler1")).status_code == 404
