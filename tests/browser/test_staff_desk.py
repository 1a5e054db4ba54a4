"""A day at the desk in a real browser: sign in, register an appeal, work its first task, follow the case,
and the petitioner tracks and rates the answer. Screenshots of each page land in the test's tmp dir."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from app.cases.people.users import create_user
from tests.browser import pages
from tests.browser.pages import in_english, shot
from tests.helpers import ANSWER, APPROVE, INVESTIGATION, complete, open_task

pytestmark = pytest.mark.browser

PASSWORDS = {"clerk": "clerk-demo-pass", "env_handler": "env-handler-pass", "housing_handler": "housing-pass-1"}
NARROW = {"width": 390, "height": 844}


@pytest.fixture
def people(staff):
    create_user("clerk", ["intake"], password=PASSWORDS["clerk"], display_name="王受理")
    create_user("env_handler", ["handler"], "ENV", password=PASSWORDS["env_handler"], display_name="李承办")
    create_user("housing_handler", ["handler"], "HOUSING", password=PASSWORDS["housing_handler"], display_name="赵住房")
    return staff


def sign_in(page, base, username, password=None):
    pages.sign_in(page, base, username, password or PASSWORDS[username], landed=password is None)


def register_at_intake(page, base, tmp_path):
    page.goto(base + "/intake")
    page.get_by_label("类别").select_option("complaint")
    page.get_by_label("渠道").select_option("hotline")
    page.get_by_label("标题").fill("小区垃圾清运不及时")
    page.get_by_label("诉求内容").fill("幸福小区的垃圾已经三天没有清运，气味很大。")
    page.get_by_label("地点").fill("幸福小区3号楼")
    page.get_by_label("姓名", exact=True).fill("张三")
    page.get_by_label("电话", exact=True).fill("13812345678")
    shot(page, tmp_path, "intake-form")
    page.get_by_role("button", name="登记", exact=True).click()
    number = page.locator("#new-number").inner_text()
    code = page.locator("#new-access-code").inner_text()
    assert re.fullmatch(r"\d{14}", number) and code
    assert page.locator("#new-accept-by").inner_text() < page.locator("#new-answer-by").inner_text()  # both dates, in order
    shot(page, tmp_path, "intake-done")
    return number, code


def test_a_clerk_signs_in_registers_an_appeal_and_triages_it_to_the_department(live_server, page, people, deployed,
                                                                               client, tmp_path):
    sign_in(page, live_server, "clerk", "not-the-password")
    assert page.get_by_role("alert").inner_text() == "用户名或密码不正确。"
    shot(page, tmp_path, "login-wrong-password")
    sign_in(page, live_server, "clerk")
    assert page.url.endswith("/inbox")
    assert page.locator("#user-name").inner_text() == "王受理" and "受理员" in page.locator("#user-roles").inner_text()

    number, _code = register_at_intake(page, live_server, tmp_path)

    page.get_by_role("link", name="待办").click()
    page.get_by_label("编号或标题").fill(number)
    page.get_by_label("类别").select_option("complaint")
    page.get_by_role("button", name="筛选").click()
    expect(page).to_have_url(re.compile(r"q=\d{14}"))
    row = page.locator(f"tr[data-case='{number}']")
    expect(row).to_have_count(1)
    assert "（未领取）" in row.inner_text()
    row.get_by_role("button", name="领取").click()
    page.locator(f"tr[data-case='{number}'] >> text=放回队列").wait_for()  # htmx swapped the list in place
    assert "clerk" in page.locator(f"tr[data-case='{number}']").inner_text()
    shot(page, tmp_path, "inbox")

    page.locator(f"tr[data-case='{number}']").get_by_role("link", name="受理分流").click()
    page.get_by_label("受理意见").select_option("accept")
    page.get_by_role("button", name="提交办理").click()  # no department: refused beside the field
    error = page.locator("#field-department-error")
    assert error.inner_text() == "此项必填。"
    assert page.get_by_label("承办部门").get_attribute("aria-describedby") == "field-department-error"
    shot(page, tmp_path, "task-with-error")
    page.get_by_label("承办部门").select_option("ENV")
    page.get_by_role("button", name="提交办理").click()
    expect(page).to_have_url(re.compile(r"/inbox$"))  # the next task (investigation) is the department's, not the clerk's
    assert f"诉求 {number} 现为：办理中" in page.locator("#inbox .ok").inner_text()

    page.goto(f"{live_server}/cases/{number}")
    assert page.locator("#case-status").inner_text() == "办理中"
    assert page.locator("#petitioner").inner_text().count("张三") == 1
    page.wait_for_selector("#diagram[data-ready='true']")
    current = page.locator(".djs-element.minyi-current").evaluate_all("els => els.map(e => e.dataset.elementId)")
    completed = page.locator(".djs-element.minyi-completed").evaluate_all("els => els.map(e => e.dataset.elementId)")
    assert current == [open_task(client, people.headers("handler1"), number)["name"]] == ["investigate"]
    assert completed == ["triage"]
    shot(page, tmp_path, "case")

    in_english(page)
    assert page.locator("#case-status").inner_text() == "Being handled"
    assert page.get_by_role("navigation", name="Main").get_by_role("link", name="Inbox").count() == 1
    page.goto(live_server + "/inbox")
    assert page.get_by_role("heading", name="Inbox").count() == 1  # the choice stays for the session
    page.get_by_role("button", name="中文").click()
    expect(page.get_by_role("heading", name="待办")).to_have_count(1)


def test_a_handler_of_another_department_is_refused_the_case_page(live_server, browser, people, deployed, client, tmp_path):
    number = _triaged_case(client, people)
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    sign_in(page, live_server, "housing_handler")
    response = page.goto(f"{live_server}/cases/{number}")
    assert response.status == 403 and "您无权打开此页面" in page.content()
    page.get_by_role("button", name="退出").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    sign_in(page, live_server, "env_handler")
    assert page.goto(f"{live_server}/cases/{number}").status == 200
    context.close()


def test_the_inbox_and_the_task_form_work_on_a_narrow_screen(live_server, browser, people, deployed, client, tmp_path):
    number = _triaged_case(client, people)
    context = browser.new_context(locale="zh-CN", viewport=NARROW)
    page = context.new_page()
    sign_in(page, live_server, "env_handler")
    row = page.locator(f"tr[data-case='{number}']")
    row.get_by_role("button", name="领取").click()
    page.locator(f"tr[data-case='{number}'] >> text=放回队列").wait_for()
    shot(page, tmp_path, "inbox-narrow")
    page.locator(f"tr[data-case='{number}']").get_by_role("link", name="调查核实").click()
    box = page.get_by_label("查明事实").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= NARROW["width"]
    shot(page, tmp_path, "task-narrow")
    context.close()


def test_a_petitioner_looks_their_case_up_by_post_and_rates_the_answer(live_server, page, people, deployed, client,
                                                                       tmp_path):
    number, code = _answered_case(client, people)
    page.goto(live_server + "/track")
    page.get_by_label("诉求编号").fill(number)
    page.get_by_label("查询码").fill(code)
    page.get_by_role("button", name="查询").click()
    assert page.url.endswith("/track") and code not in page.url
    assert page.locator("#status").inner_text() == "已答复"
    assert page.locator("#answer").inner_text() == ANSWER["answer"]
    shot(page, tmp_path, "track-answered")
    page.get_by_label("4 满意").check()
    page.get_by_label("意见（选填）").fill("处理及时")
    page.get_by_role("button", name="提交评价").click()
    assert page.locator("#done").inner_text() == "感谢您的评价。"
    assert page.locator("#rating").inner_text() == "4 / 5"
    shot(page, tmp_path, "track-rated")


def _triaged_case(client, staff) -> str:
    from tests.helpers import COMPLAINT, TRIAGE_ACCEPT, register

    number = register(client, staff.headers("intake1"), dict(COMPLAINT))["number"]
    complete(client, staff.headers("intake1"), number, TRIAGE_ACCEPT)
    return number


def _answered_case(client, staff) -> tuple[str, str]:
    from tests.helpers import COMPLAINT, TRIAGE_ACCEPT, register

    case = register(client, staff.headers("intake1"), dict(COMPLAINT))
    number = case["number"]
    complete(client, staff.headers("intake1"), number, TRIAGE_ACCEPT)
    complete(client, staff.headers("handler1"), number, INVESTIGATION)
    complete(client, staff.headers("head1"), number, dict(APPROVE, major=False))
    complete(client, staff.headers("handler1"), number, ANSWER)
    return number, case["access_code"]
