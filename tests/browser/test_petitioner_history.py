"""Who is calling, in a real browser: the clerk types the caller's number as they say it, looks them up before
registering and sees their earlier case; the new case's page lists the petitioner's cases. Chinese and English, a
desktop and a phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from app.cases.people.users import create_user
from tests.browser import pages
from tests.browser.pages import DESKTOP, PHONE, in_english, shot
from tests.helpers import register

pytestmark = pytest.mark.browser

PASSWORD = "clerk-demo-pass"


def test_the_clerk_looks_the_caller_up_before_registering_and_the_case_page_lists_their_cases(
        browser, live_server, client, staff, deployed, complaint, tmp_path):
    create_user("clerk", ["intake"], password=PASSWORD, display_name="王受理")
    earlier = register(client, staff.headers("intake1"), dict(complaint, title="工地夜间施工噪音",
                                                               petitioner={"name": "张三", "phone": "13812345678"}))["number"]
    for locale, size, label in (("zh-CN", DESKTOP, "zh-desktop"), ("zh-CN", PHONE, "zh-phone")):
        context = browser.new_context(locale=locale, **size)
        page = context.new_page()
        pages.sign_in(page, live_server, "clerk", PASSWORD)
        page.goto(live_server + "/intake")
        page.get_by_label("电话", exact=True).fill("138 1234 5678")  # as the caller says it
        page.get_by_role("button", name="查找来电人").click()
        panel = page.locator("section[aria-labelledby=caller-title]")
        assert earlier in panel.inner_text() and "共 1 件，办理中 1 件" in panel.inner_text()
        assert page.get_by_label("电话", exact=True).input_value() == "138 1234 5678"  # the form keeps what was typed
        shot(page, tmp_path, f"intake-caller-{label}")
        context.close()
    context = browser.new_context(locale="zh-CN", **DESKTOP)
    page = context.new_page()
    pages.sign_in(page, live_server, "clerk", PASSWORD)
    page.goto(live_server + "/intake")
    page.get_by_label("电话", exact=True).fill("13900000000")
    page.get_by_role("button", name="查找来电人").click()
    assert "未找到此来电人以往的诉求" in page.locator("section[aria-labelledby=caller-title]").inner_text()
    page.get_by_label("类别").select_option("complaint")
    page.get_by_label("渠道").select_option("hotline")
    page.get_by_label("标题").fill("夜间施工噪音又来了")
    page.get_by_label("诉求内容").fill("工地昨晚又施工到凌晨。")
    page.get_by_label("姓名", exact=True).fill("张三")
    page.get_by_label("电话", exact=True).fill("+86 138-1234-5678")
    page.get_by_label("居民身份证号码").fill("11010519491231002x")
    page.get_by_role("button", name="登记", exact=True).click()
    number = page.locator("#new-number").inner_text()
    assert re.fullmatch(r"\d{14}", number)
    page.goto(f"{live_server}/cases/{number}")
    assert page.locator("#petitioner-repeats").inner_text() == "此诉求人共 2 件诉求"
    card = page.locator("section[aria-labelledby=history-title]")
    assert earlier in card.inner_text() and "（本件）" in card.inner_text()
    expect(page.locator("#petitioner").get_by_text("11010519491231002X")).to_be_visible()
    shot(page, tmp_path, "case-history-zh-desktop")
    in_english(page)
    page.goto(f"{live_server}/cases/{number}")
    assert "This petitioner's cases" in page.locator("#history-title").inner_text()
    shot(page, tmp_path, "case-history-en-desktop")
    page.goto(live_server + "/intake")
    page.get_by_label("Phone", exact=True).fill("13812345678")
    page.get_by_role("button", name="Look up the caller").click()
    assert "2 cases, 2 open" in page.locator("section[aria-labelledby=caller-title]").inner_text()
    shot(page, tmp_path, "intake-caller-en-desktop")
    context.close()


def test_the_clerk_sees_the_possible_repeats_and_links_the_appeal_to_the_open_case(
        browser, live_server, client, staff, deployed, complaint, tmp_path):
    create_user("clerk", ["intake"], password=PASSWORD, display_name="王受理")
    earlier = register(client, staff.headers("intake1"), dict(complaint, title="幸福路工地夜间施工噪音扰民",
                                                               petitioner={"name": "李四", "phone": "13700000000"}))["number"]
    for locale, size, label in (("zh-CN", DESKTOP, "zh-desktop"), ("zh-CN", PHONE, "zh-phone"), ("en-US", DESKTOP, "en-desktop")):
        context = browser.new_context(locale=locale, **size)
        page = context.new_page()
        pages.sign_in(page, live_server, "clerk", PASSWORD)
        if locale == "en-US":
            in_english(page)
        page.goto(live_server + "/intake")
        page.locator("#category").select_option("complaint")
        page.locator("#title").fill("幸福路工地夜间施工噪音")
        page.locator("#description").fill("工地每晚施工到凌晨，噪音很大。")
        page.locator("#petitioner_name").fill("张三")
        page.locator("#petitioner_phone").fill("13812345678")
        page.locator("button[name=action][value=lookup]").click()
        row = page.locator("#candidates tbody tr")
        assert row.count() == 1 and earlier in row.inner_text()
        shot(page, tmp_path, f"intake-repeats-{label}")
        if label == "zh-desktop":
            page.get_by_role("button", name="作为重复件并入此件").click()
            assert earlier in page.locator("#new-repeat-of").inner_text()
            shot(page, tmp_path, "intake-repeat-done-zh-desktop")
            page.goto(f"{live_server}/cases/{earlier}")
            assert "收到重复件" in page.locator("#work-record").inner_text()
            shot(page, tmp_path, "case-with-repeat-zh-desktop")
        context.close()
