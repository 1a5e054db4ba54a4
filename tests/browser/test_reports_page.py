"""The periodic reports in a real browser: an analyst makes last month's report, finds it in the archive, reads it
(a standalone page: accessible, Chinese) and downloads its PDF; a leader reads the archive without the form."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from app.cases.people.users import create_user
from tests.browser import pages
from tests.browser.pages import SCREENS, in_english, shot

pytestmark = pytest.mark.browser
PASSWORD = "reports-demo-pass"


def test_an_analyst_makes_last_months_report_reads_it_and_downloads_the_pdf(browser, live_server, staff, deployed,
                                                                              tmp_path):
    create_user("analyst", ["analyst"], password=PASSWORD, display_name="赵分析")
    create_user("leader", ["leader"], password=PASSWORD, display_name="钱领导")
    for i, (locale, size, label) in enumerate(SCREENS):
        context = browser.new_context(locale=locale, **size)
        page = context.new_page()
        pages.sign_in(page, live_server, "analyst", PASSWORD)
        if locale.startswith("en"):
            in_english(page)
        page.goto(f"{live_server}/reports")
        if i == 0:
            assert page.locator("#report-period").input_value().count("-") == 1  # last month, suggested
            page.locator("form.filters button[type=submit]").click()
            assert "已生成并存档" in page.locator("p.ok").inner_text()
        rows = page.locator("#reports tbody tr")
        assert rows.count() == 1
        shot(page, tmp_path, f"reports-{label}")
        with page.expect_download() as download:
            rows.first.get_by_role("link", name="PDF").click()
        assert download.value.suggested_filename.endswith(".pdf")
        rows.first.locator("a").first.click()  # the report as a web page
        expect(page.locator("h1")).to_have_text(re.compile(r"^民意诉求办理情况月度报告"))
        assert page.locator("img").count() == page.locator("img[alt]").count() >= 1  # the charts, each named
        shot(page, tmp_path, f"report-{label}")
        context.close()
    context = browser.new_context(locale="zh-CN", **pages.DESKTOP)
    page = context.new_page()
    pages.sign_in(page, live_server, "leader", PASSWORD)
    page.goto(f"{live_server}/reports")
    assert page.locator("#reports tbody tr").count() == 1 and page.locator("#report-period").count() == 0
    context.close()
