"""The one search box in a real browser: a clerk finds a caller's cases by their phone number and a handler finds
their department's cases by a two-character word; Chinese and English, a desktop and a phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from app.cases.people.users import create_user
from tests.browser import pages
from tests.browser.pages import DESKTOP, PHONE, in_english, shot
from tests.helpers import TRIAGE_ACCEPT, complete, register

pytestmark = pytest.mark.browser



def test_a_clerk_and_a_handler_search_with_one_box(browser, live_server, client, staff, deployed, complaint, tmp_path):
    create_user("clerk", ["intake"], password="clerk-demo-pass", display_name="王受理")
    create_user("env_handler", ["handler"], "ENV", password="env-handler-pass", display_name="李承办")
    clerk = staff.headers("intake1")
    first = register(client, clerk, dict(complaint, title="夜间施工噪音", petitioner={"name": "张三", "phone": "13812345678"}))
    complete(client, clerk, first["number"], TRIAGE_ACCEPT)
    register(client, clerk, dict(complaint, title="路灯不亮", petitioner={"name": "张三", "phone": "13812345678"}))
    for who, password, q, size, label in (("clerk", "clerk-demo-pass", "138 1234 5678", DESKTOP, "clerk-zh-desktop"),
                                          ("clerk", "clerk-demo-pass", "张三", PHONE, "clerk-zh-phone"),
                                          ("env_handler", "env-handler-pass", "噪音", DESKTOP, "handler-zh-desktop")):
        context = browser.new_context(locale="zh-CN", **size)
        page = context.new_page()
        pages.sign_in(page, live_server, who, password)
        page.get_by_role("link", name="搜索").click()
        expect(page).to_have_url(re.compile(r"/search$"))
        page.get_by_role("searchbox").fill(q)
        page.get_by_role("button", name="搜索").click()
        expect(page).to_have_url(re.compile(r"/search\?q="))
        if who == "clerk":
            card = page.locator("section[aria-labelledby^=person-]")
            expect(card).to_have_count(1)
            assert "共 2 件" in card.inner_text() and "张三" in card.inner_text()
        else:
            assert first["number"] in page.locator("#titles-title + table").inner_text()
        shot(page, tmp_path, f"search-{label}")
        context.close()
    context = browser.new_context(locale="zh-CN", **DESKTOP)
    page = context.new_page()
    pages.sign_in(page, live_server, "clerk", "clerk-demo-pass")
    in_english(page)
    page.goto(live_server + "/search?q=张")
    expect(page.get_by_role("alert")).to_contain_text("at least 2 characters")
    shot(page, tmp_path, "search-too-short-en")
    context.close()
