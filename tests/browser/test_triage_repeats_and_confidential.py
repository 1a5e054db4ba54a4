"""In a real browser: a clerk at the triage of an appeal that came in from the web form sees the open case it repeats
and links it; a confidential case wears its mark for cleared staff, who may lift it, and is refused to the others.
Chinese and English, a desktop and a phone."""

from __future__ import annotations

import pytest

from app.cases.people.users import create_user
from tests.browser import pages
from tests.browser.pages import DESKTOP, SCREENS, in_english, shot
from tests.helpers import TRIAGE_ACCEPT, complete, open_task, register

pytestmark = pytest.mark.browser

PASSWORD = "clerk-demo-pass"


def test_at_triage_the_clerk_links_a_web_appeal_to_the_open_case_it_repeats(
        browser, live_server, client, staff, deployed, complaint, tmp_path):
    create_user("clerk", ["intake"], password=PASSWORD, display_name="王受理")
    earlier = register(client, staff.headers("intake1"), dict(complaint, title="幸福路工地夜间施工噪音扰民",
                                                               petitioner={"name": "李四", "phone": "13700000000"}))["number"]
    complete(client, staff.headers("intake1"), earlier, TRIAGE_ACCEPT)
    web = dict(complaint, channel="web", title="幸福路工地夜间施工噪音", petitioner={"name": "李四", "phone": "13700000000"})
    numbers = [register(client, staff.headers("intake1"), web)["number"] for _ in range(2)]
    for number, (locale, size, label) in zip(numbers * 2, SCREENS, strict=False):
        context = browser.new_context(locale=locale, **size)
        page = context.new_page()
        pages.sign_in(page, live_server, "clerk", PASSWORD)
        if locale.startswith("en"):
            in_english(page)
        page.goto(f"{live_server}/tasks/{open_task(client, staff.headers('intake1'), number)['id']}")
        panel = page.locator("#candidates")
        assert earlier in panel.inner_text() and ("同一诉求人" in panel.inner_text() or "same caller" in panel.inner_text())
        shot(page, tmp_path, f"triage-candidates-{label}")
        context.close()
    context = browser.new_context(locale="zh-CN", **DESKTOP)
    page = context.new_page()
    pages.sign_in(page, live_server, "clerk", PASSWORD)
    page.goto(f"{live_server}/tasks/{open_task(client, staff.headers('intake1'), numbers[0])['id']}")
    page.locator("#candidates").get_by_role("row", name=earlier).get_by_role("button", name="并入该件（重复件）").click()
    assert f"诉求 {numbers[0]} 已作为诉求 {earlier} 的重复件办结" in page.locator("p.ok").inner_text()
    shot(page, tmp_path, "triage-linked-zh-desktop")
    page.goto(f"{live_server}/cases/{numbers[0]}")
    assert page.locator("#case-status").inner_text() == "已办结"
    assert "分办时认定为在办诉求的重复件" in page.locator("#timeline").inner_text()
    page.goto(f"{live_server}/cases/{earlier}")
    assert numbers[0] in page.locator("section[aria-labelledby=record-title]").inner_text()
    context.close()


def test_a_confidential_case_wears_its_mark_and_is_refused_to_staff_not_cleared(
        browser, live_server, client, staff, deployed, complaint, tmp_path):
    create_user("clerk", ["intake"], password=PASSWORD, display_name="王受理")
    create_user("inspector", ["supervisor", "confidential"], password=PASSWORD, display_name="李督查")
    secret = register(client, staff.headers("intake1"), dict(
        complaint, title="举报街道工作人员违规收费", description="办理居住证时被收取额外费用。", confidential=True))["number"]
    for locale, size, label in SCREENS:
        context = browser.new_context(locale=locale, **size)
        page = context.new_page()
        pages.sign_in(page, live_server, "inspector", PASSWORD)
        if locale.startswith("en"):
            in_english(page)
        page.goto(f"{live_server}/cases/{secret}")
        assert page.locator("#case-confidential").inner_text() in ("保密件", "Confidential")
        page.locator("#confidentiality summary").click()
        shot(page, tmp_path, f"confidential-case-{label}")
        context.close()
    context = browser.new_context(locale="zh-CN", **DESKTOP)
    page = context.new_page()
    pages.sign_in(page, live_server, "clerk", PASSWORD)
    assert page.goto(f"{live_server}/cases/{secret}").status == 403
    assert "该诉求为保密件" in page.get_by_role("alert").inner_text()  # says why, not only "not allowed"
    shot(page, tmp_path, "confidential-refused-zh-desktop")
    page.goto(f"{live_server}/intake")
    page.get_by_label("保密件").check()
    assert page.get_by_label("保密件").is_checked()
    shot(page, tmp_path, "intake-confidential-zh-desktop")
    context.close()
    context = browser.new_context(locale="zh-CN", **DESKTOP)
    page = context.new_page()
    pages.sign_in(page, live_server, "inspector", PASSWORD)
    page.goto(f"{live_server}/cases/{secret}")
    page.locator("#confidentiality summary").click()
    page.locator("#confidential-reason").fill("经核实不涉及工作人员")
    page.locator("#confidentiality").get_by_role("button", name="取消保密").click()
    assert page.locator("p.ok").inner_text() == "该诉求已取消保密。"
    assert page.locator("#case-confidential").count() == 0 and "取消保密" in page.locator("#timeline").inner_text()
    context.close()
