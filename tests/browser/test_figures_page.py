"""The analysts' page in a real browser: an analyst signs in and lands on the figures of last month; a period with
cases shows the rates with their numerators and denominators, the trend as charts and tables, the departments ranked,
and every number leads to its cases. Chinese and English, a
desktop and a phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from app.cases.people.users import create_user
from tests.browser import pages
from tests.browser.pages import SCREENS, in_english, shot
from tests.helpers import TRIAGE_ACCEPT, complete, drive_to_answer, register

pytestmark = pytest.mark.browser
PASSWORD = "analyst-demo-pass"


def test_an_analyst_lands_on_the_figures_and_reads_the_rates_and_the_ranking(
        browser, live_server, client, staff, deployed, complaint, tmp_path):
    create_user("analyst", ["analyst"], password=PASSWORD, display_name="赵分析")
    for i in range(3):
        title = ("幸福路工地夜间施工噪音", "工地噪音扰民", "小区路灯不亮")[i]
        number = register(client, staff.headers("intake1"), dict(complaint, title=title))["number"]
        if i == 0:
            drive_to_answer(client, staff, number)
        else:
            complete(client, staff.headers("intake1"), number, dict(TRIAGE_ACCEPT, department="HOUSING" if i == 2 else "ENV"))
    for locale, size, label in SCREENS:
        context = browser.new_context(locale=locale, **size)
        page = context.new_page()
        pages.sign_in(page, live_server, "analyst", PASSWORD)
        assert page.url.endswith("/stats")  # where an analyst starts
        if locale.startswith("en"):
            in_english(page)
        page.locator("#f-from").fill("2026-01-01")
        page.locator("#f-to").fill("2026-12-31")
        page.locator("form.filters button[type=submit]").click()
        expect(page).to_have_url(re.compile(r"from=2026-01-01"))
        assert page.locator("#count-received td").inner_text() == "3"
        assert page.locator("#rate-response td").nth(2).inner_text() == "3"  # three first steps done, in time
        ranking = page.locator("#ranking").inner_text()
        assert "生态环境科" in ranking and "住房保障科" in ranking
        assert "噪音" in page.locator("#hot-words").inner_text()  # each word links to its cases
        with page.expect_download() as download:
            page.locator("#exports a").first.click()
        assert download.value.suggested_filename == "minyi-2026-01-01-2026-12-31.xlsx"
        assert page.locator("#trend-counts tbody tr").count() == 12  # a year: by month
        assert page.locator("#trend-counts-chart svg").count() == 1 and page.locator("#trend-rates-chart svg").count() == 1
        shot(page, tmp_path, f"figures-{label}")
        page.locator("#count-received a").click()  # every number drills down to its cases
        expect(page).to_have_url(re.compile(r"/stats/cases\?"))
        expect(page.locator("main table.tasks tbody tr")).to_have_count(3)
        assert "小区路灯不亮" in page.locator("main table.tasks").inner_text()
        shot(page, tmp_path, f"figure-cases-{label}")
        context.close()


def test_a_leader_marks_the_focus_topic_of_the_month_and_everyone_follows_it(
        browser, live_server, runner, client, staff, deployed, complaint, tmp_path):
    assert runner.invoke(args=["topics", "import"]).exit_code == 0
    create_user("leader", ["leader"], password=PASSWORD, display_name="钱领导")
    create_user("analyst", ["analyst"], password=PASSWORD, display_name="赵分析")
    for title in ("夜间施工扰民", "工地凌晨还在打桩"):
        register(client, staff.headers("intake1"), dict(complaint, title=title, topic="URBAN.CONSTR.NIGHT"))
    context = browser.new_context(locale="zh-CN", **pages.DESKTOP)
    page = context.new_page()
    pages.sign_in(page, live_server, "leader", PASSWORD)
    assert page.url.endswith("/stats")
    month = page.locator("#focus-month").input_value()
    page.locator("#focus-topic").select_option("URBAN.CONSTR.NIGHT")
    page.locator("#focus-note").fill("夜间施工扰民集中治理，各部门本月内逐件回访")
    page.get_by_role("button", name="设为本月一题").click()
    focus = page.locator(f"#focus-{month}")
    assert "夜间施工扰民集中治理" in focus.inner_text()
    assert focus.locator("tbody tr").first.locator("td").first.inner_text() == "2"  # its two cases this month
    shot(page, tmp_path, "focus-zh-desktop")
    context.close()
    for locale, size, label in SCREENS[1:]:
        context = browser.new_context(locale=locale, **size)
        page = context.new_page()
        pages.sign_in(page, live_server, "analyst", PASSWORD)
        if locale.startswith("en"):
            in_english(page)
        assert page.locator("#focus-month").count() == 0  # an analyst reads it, does not mark it
        page.goto(f"{live_server}/stats?from={month}-01&to={month}-28")
        assert "夜间施工扰民集中治理" in page.locator(f"#focus-{month}").inner_text()
        shot(page, tmp_path, f"focus-{label}")
        context.close()


def test_a_head_reads_their_department_and_ranks_its_handlers(browser, live_server, client, staff, deployed, complaint,
                                                            tmp_path):
    create_user("head", ["head"], "ENV", password=PASSWORD, display_name="孙科长")
    for title in ("幸福路工地夜间施工噪音", "小区路灯不亮"):
        drive_to_answer(client, staff, register(client, staff.headers("intake1"), dict(complaint, title=title))["number"])
    for locale, size, label in SCREENS:
        context = browser.new_context(locale=locale, **size)
        page = context.new_page()
        pages.sign_in(page, live_server, "head", PASSWORD)
        if locale.startswith("en"):
            in_english(page)
        page.goto(f"{live_server}/stats?from=2026-01-01&to=2026-12-31")
        assert page.locator("#f-department").count() == 0  # their department's figures only
        assert page.locator("#count-answered td").inner_text() == "2"
        ranking = page.locator("#ranking")
        assert ranking.locator("tbody tr").count() == 1 and "handler1" in ranking.inner_text()
        shot(page, tmp_path, f"figures-head-{label}")
        context.close()


def test_a_head_appeals_against_counting_a_case_and_a_supervisor_upholds_it(browser, live_server, client, staff,
                                                                            deployed, complaint, tmp_path):
    create_user("head", ["head"], "ENV", password=PASSWORD, display_name="孙科长")
    create_user("chief", ["supervisor"], password=PASSWORD, display_name="李督办")
    number = register(client, staff.headers("intake1"), dict(complaint, title="小区路灯不亮"))["number"]
    complete(client, staff.headers("intake1"), number, dict(TRIAGE_ACCEPT, department="ENV"))
    context = browser.new_context(locale="zh-CN", **pages.DESKTOP)
    page = context.new_page()
    pages.sign_in(page, live_server, "head", PASSWORD)
    page.goto(f"{live_server}/cases/{number}")
    page.locator("#appeal-counting summary").click()
    page.get_by_label("不应计入本部门的理由").fill("路灯属住房保障科管理，派单有误")
    shot(page, tmp_path, "case-appeal-zh-desktop")
    page.get_by_role("button", name="提交申诉").click()
    expect(page.locator("main")).to_contain_text("已转督办人员")
    context.close()
    for locale, size, label in SCREENS:
        context = browser.new_context(locale=locale, **size)
        page = context.new_page()
        pages.sign_in(page, live_server, "chief", PASSWORD)
        if locale.startswith("en"):
            in_english(page)
        page.goto(f"{live_server}/stats#appeals")
        appeal = page.locator("#appeal-list tbody tr").first
        assert "路灯属住房保障科管理" in appeal.inner_text()
        shot(page, tmp_path, f"appeals-{label}")
        context.close()
    context = browser.new_context(locale="zh-CN", **pages.PHONE)
    page = context.new_page()
    pages.sign_in(page, live_server, "chief", PASSWORD)
    page.goto(f"{live_server}/stats#appeals")
    page.locator("#appeal-list textarea").first.fill("经核实派单有误")
    page.get_by_role("button", name="申诉成立").first.click()
    expect(page.locator("main")).to_contain_text("不再计入")
    assert "申诉成立" in page.locator("#appeal-list").inner_text()
    shot(page, tmp_path, "appeal-upheld-zh-phone")
    context.close()
