"""The supervisor console in a real browser: late work filtered and moved in bulk, a notice that goes overdue,
the workload chart, and a handler kept out. Screenshots land in the test's tmp dir."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from app import clock
from app.cases.people.users import create_user
from tests.browser import pages
from tests.browser.pages import shot
from tests.helpers import COMPLAINT, TRIAGE_ACCEPT, complete, open_task, register

pytestmark = pytest.mark.browser

PASSWORDS = {"boss": "boss-demo-pass-1", "zhou": "zhou-demo-pass-1", "li": "li-demo-pass-11"}


@pytest.fixture
def people(staff):
    create_user("boss", ["supervisor"], password=PASSWORDS["boss"], display_name="钱督办")
    create_user("zhou", ["handler"], "ENV", password=PASSWORDS["zhou"], display_name="周承办")
    create_user("li", ["handler"], "ENV", password=PASSWORDS["li"], display_name="李承办")
    return staff


def sign_in(page, base, username, password=None):
    pages.sign_in(page, base, username, password or PASSWORDS[username])


def late_cases(client, staff, n):
    """n cases triaged to ENV, claimed by handler1 and then left alone for 40 days."""
    numbers = []
    for i in range(n):
        numbers.append(register(client, staff.headers("intake1"), dict(COMPLAINT, title=f"夜间施工噪音 {i + 1}"))["number"])
        complete(client, staff.headers("intake1"), numbers[-1], TRIAGE_ACCEPT)
        task = open_task(client, staff.headers("handler1"), numbers[-1])
        assert client.post(f"/api/v1/tasks/{task['id']}/claim", headers=staff.headers("handler1")).status_code == 200
    clock.advance(timedelta(days=40))
    return numbers


def test_a_supervisor_moves_overdue_tasks_in_bulk_and_the_new_handler_and_the_timeline_see_it(
        live_server, browser, people, deployed, client, frozen, tmp_path):
    numbers = late_cases(client, people, 3)
    context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 900})
    page = context.new_page()
    sign_in(page, live_server, "boss")
    page.locator("header nav a[href='/supervision']").click()
    expect(page).to_have_url(re.compile(r"/supervision$"))
    page.locator("#views a[data-view='overdue']").click()
    expect(page).to_have_url(re.compile(r"view=overdue"))
    page.locator("#f-department").select_option("ENV")
    page.locator(".filters button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"department=ENV"))
    expect(page.locator("#views a[data-view='overdue'] .count")).to_have_text("3")
    page.locator("#workload-chart[data-ready='true']").wait_for()
    shot(page, tmp_path, "console-overdue")
    page.locator("#workload").screenshot(path=tmp_path / "workload-chart.png")

    for number in numbers[:2]:
        page.locator(f"tr[data-case='{number}'] input[type=checkbox]").check()
    expect(page.locator("#selected-count")).to_have_text("2")
    page.locator("#b-target").select_option("user:li")
    page.locator("#b-reason").fill("handler1 休假，转李承办")
    page.locator("#bulk button[type=submit]").click()
    expect(page.locator("p.ok")).to_contain_text("2")
    shot(page, tmp_path, "console-reassigned")
    context.close()

    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    sign_in(page, live_server, "li")
    page.goto(live_server + "/inbox?scope=mine")
    assert {page.locator(f"tr[data-case='{n}']").count() for n in numbers[:2]} == {1}
    assert page.locator(f"tr[data-case='{numbers[2]}']").count() == 0
    page.goto(live_server + f"/cases/{numbers[0]}")
    assert "handler1 休假，转李承办" in page.locator("#timeline").inner_text()
    context.close()


def test_a_notice_issued_from_the_console_is_listed_overdue_once_its_reply_by_passes(
        live_server, page, people, deployed, client, frozen, tmp_path):
    [number] = late_cases(client, people, 1)
    sign_in(page, live_server, "boss")
    page.goto(live_server + "/supervision?view=all")
    row = page.locator(f"tr[data-case='{number}']")
    row.locator("details.act summary").first.click()
    row.locator("textarea[name=message]").fill("请三日内说明办理进度")
    row.locator("input[name=reply_by]").fill((frozen + timedelta(days=41)).strftime("%Y-%m-%dT%H:%M"))
    row.locator("form.stack button[type=submit]").first.click()
    expect(page.locator("p.ok")).to_have_count(1)
    # the notices panel loads after the page
    expect(page.locator("#notice-list tr[data-state='open']")).to_have_count(1)

    clock.advance(timedelta(days=2))
    page.goto(live_server + "/supervision?notices=overdue#notices")
    overdue = page.locator("#notice-list tr[data-state='overdue']")
    expect(overdue).to_have_count(1)
    assert "请三日内说明办理进度" in overdue.inner_text()
    shot(page, tmp_path, "console-notices-overdue")
    page.locator("#notices a[data-notices='answered']").click()  # the panel alone changes; the console stays
    page.locator("#notices a[data-notices='answered'][aria-current='page']").wait_for()
    assert page.locator("#notice-list").count() == 0 and page.locator(f"tr[data-case='{number}']").count() == 1
    assert "notices=overdue" in page.url


def test_a_handler_is_refused_the_console(live_server, page, people):
    sign_in(page, live_server, "zhou")
    assert page.locator("header nav a[href='/supervision']").count() == 0
    response = page.goto(live_server + "/supervision")
    assert response.status == 403
