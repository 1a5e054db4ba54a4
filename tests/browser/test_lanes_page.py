"""The lane map in a real browser: an administrator maps a Camunda diagram's candidate group to a department's
handlers, sees it listed in Chinese (and English), is told what is wrong with a bad entry; an owner sets a process's
default group on the same page. Screenshots checked with axe on a desktop and a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.cases.people.users import create_user
from tests.browser import pages
from tests.browser.pages import SCREENS, in_english, shot

pytestmark = pytest.mark.browser
PASSWORD = "lanes-demo-pass"


def test_an_administrator_maps_a_candidate_group_and_an_owner_sets_a_default_group(browser, live_server, staff,
                                                                                     deployed, tmp_path):
    create_user("lanes_admin", ["admin"], password=PASSWORD, display_name="孙管理")
    create_user("lanes_owner", ["owner"], password=PASSWORD, display_name="李流程")
    for i, (locale, size, label) in enumerate(SCREENS):
        context = browser.new_context(locale=locale, **size)
        page = context.new_page()
        pages.sign_in(page, live_server, "lanes_admin", PASSWORD)
        if locale.startswith("en"):
            in_english(page)
        page.goto(f"{live_server}/lanes")
        if i == 0:
            page.locator("#lane-name").fill("Finance")
            page.locator("#lane-role").select_option("handler")
            page.locator("#lane-where").select_option("HOUSING")
            page.locator("#lane-name").press("Enter")
            expect(page.locator("main")).to_contain_text("“Finance”的环节现交给")
            page.locator("#lane-name").fill("")
            page.locator("#lane-name").evaluate("e => e.removeAttribute('required')")
            page.locator("form.filters button[type=submit]").first.click()
            expect(page.locator("[role=alert]")).to_contain_text("请填写泳道名称")
            shot(page, tmp_path, "lanes-refused")
        row = page.locator("table.tasks tbody tr", has_text="Finance")
        assert row.count() == 1
        assert "承办人" in row.inner_text() or "Handler" in row.inner_text()
        shot(page, tmp_path, f"lanes-{label}")
        context.close()
    context = browser.new_context(locale="zh-CN", **pages.DESKTOP)
    page = context.new_page()
    pages.sign_in(page, live_server, "lanes_owner", PASSWORD)
    page.goto(f"{live_server}/lanes")
    assert page.locator("#lane-name").count() == 0  # owners read the map; administrators change it
    page.locator("#default-process").select_option("complaint")
    page.locator("#default-role").select_option("supervisor")
    page.locator("form.filters button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("“投诉处理”中未指定办理人的环节，现交给督办员办理")
    assert "complaint" not in page.locator("table").last.inner_text()  # processes by their names
    shot(page, tmp_path, "lanes-owner")
    context.close()
