"""Topics, areas and the dispatch table in a real browser: an administrator loads a tree from a file (a bad file
names its mistakes and loads nothing); the clerk gets the topic and area suggested from the text at intake; the
triage shows the suggested department."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.cases.people.users import create_user
from tests.browser import pages
from tests.browser.pages import DESKTOP, PHONE, shot

pytestmark = pytest.mark.browser



def test_an_administrator_loads_a_tree_and_the_clerk_gets_suggestions(browser, live_server, app, staff, deployed,
                                                                       tmp_path):
    create_user("boss", ["admin"], password="admin-demo-pass", display_name="管理员")
    create_user("clerk", ["intake"], password="clerk-demo-pass", display_name="王受理")
    runner = app.test_cli_runner()
    assert runner.invoke(args=["topics", "import"]).exit_code == 0
    rules = tmp_path / "dispatch.csv"
    rules.write_text("topic,area,department\nENV.NOISE,,ENV\n", encoding="utf-8")
    context = browser.new_context(locale="zh-CN", **DESKTOP)
    page = context.new_page()
    pages.sign_in(page, live_server, "boss", "admin-demo-pass")
    page.get_by_role("link", name="事项分类与属地").click()
    areas = tmp_path / "areas.csv"
    areas.write_text("code,name,parent,keywords\nXY,幸福区,,\nXY.HP,和平街道,XY,和平街\nBAD,坏行,NOPE,\n", encoding="utf-8")
    page.locator("#file-area").set_input_files(str(areas))
    page.locator("section[aria-labelledby=area-title] button").click()
    expect(page.get_by_role("alert")).to_contain_text("上级 NOPE 不存在")
    shot(page, tmp_path, "taxonomy-refused-zh")
    areas.write_text("code,name,parent,keywords\nXY,幸福区,,\nXY.HP,和平街道,XY,和平街\nXY.HP.XF,幸福社区,XY.HP,幸福路\n",
                     encoding="utf-8")
    page.locator("#file-area").set_input_files(str(areas))
    page.locator("section[aria-labelledby=area-title] button").click()
    expect(page.get_by_role("alert")).to_contain_text("新增 3 条")
    page.locator("#file-dispatch").set_input_files(str(rules))
    page.locator("section[aria-labelledby=dispatch-title] button").click()
    expect(page.get_by_role("alert")).to_contain_text("已导入 1 条规则")
    shot(page, tmp_path, "taxonomy-zh-desktop")
    context.close()
    for size, label in ((DESKTOP, "desktop"), (PHONE, "phone")):
        context = browser.new_context(locale="zh-CN", **size)
        page = context.new_page()
        pages.sign_in(page, live_server, "clerk", "clerk-demo-pass")
        page.goto(live_server + "/intake")
        page.locator("#category").select_option("complaint")
        page.locator("#title").fill("幸福路广场舞噪音扰民")
        page.locator("#description").fill("每晚广场舞音响声音很大。")
        page.locator("#petitioner_name").fill("张三")
        page.locator("button[name=action][value=lookup]").click()
        expect(page.locator("#topic")).to_have_value("ENV.NOISE")
        expect(page.locator("#area")).to_have_value("XY.HP.XF")
        assert "噪音" in page.locator("#topic-suggestion").inner_text()
        shot(page, tmp_path, f"intake-suggested-{label}")
        if label == "desktop":
            page.get_by_role("button", name="登记", exact=True).click()
            number = page.locator("#new-number").inner_text()
            page.goto(f"{live_server}/cases/{number}")
            assert page.locator("#case-topic").inner_text() == "噪声污染" and page.locator("#case-area").inner_text() == "幸福社区"
            assert "生态环境科" in page.locator("#suggested-department").inner_text()
            page.locator("#open-tasks a").first.click()
            assert "生态环境科" in page.locator("#dispatch-suggestion").inner_text()
            assert page.locator("#field-department").input_value() == "ENV"  # accepted by submitting it
            shot(page, tmp_path, "triage-suggestion-zh-desktop")
        context.close()
