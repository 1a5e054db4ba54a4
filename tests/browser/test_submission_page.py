"""A citizen on a phone submits an appeal with a photo in a real browser, gets the number and the access code, and
the case waits in the intake queue; the form and its receipt in Chinese and English, on a phone and a desktop."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.pages import PHONE, in_english, shot
from tests.helpers import open_task

pytestmark = pytest.mark.browser

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def test_a_citizen_on_a_phone_submits_an_appeal_with_a_photo(browser, live_server, client, staff, deployed, tmp_path):
    context = browser.new_context(locale="zh-CN", **PHONE)
    page = context.new_page()
    page.goto(live_server + "/")
    page.get_by_role("link", name="提交诉求").click()
    expect(page).to_have_url(re.compile(r"/submit$"))
    shot(page, tmp_path, "submit-phone-zh")
    page.get_by_label("诉求类型").select_option("complaint")
    page.get_by_label("标题").fill("小区门口路灯不亮")
    page.get_by_label("发生了什么").fill("幸福路1号小区门口的路灯坏了两周，晚上很黑，老人出行不便。")
    page.get_by_label("地点").fill("幸福路1号")
    page.get_by_label("照片或材料").set_input_files([{"name": "路灯.png", "mimeType": "image/png", "buffer": PNG}])
    page.get_by_label("姓名").fill("李四")
    page.get_by_label("手机号码").fill("13900001111")
    page.get_by_label("短信", exact=True).check()
    page.get_by_role("button", name="提交").click()  # without consent: refused beside the box
    expect(page.locator("#err-consent")).to_be_visible()
    shot(page, tmp_path, "submit-phone-zh-refused")
    page.get_by_label("我同意").check()
    page.get_by_label("照片或材料").set_input_files([{"name": "路灯.png", "mimeType": "image/png", "buffer": PNG}])
    page.get_by_role("button", name="提交").click()
    number = page.locator("#number").inner_text()
    code = page.locator("#access-code").inner_text()
    assert re.fullmatch(r"\d{14}", number) and code
    expect(page.locator("#accept-by")).to_be_visible()
    expect(page.locator("#answer-by")).to_be_visible()
    expect(page.get_by_role("button", name="复制编号和查询码")).to_be_visible()
    shot(page, tmp_path, "submit-phone-zh-receipt")
    assert open_task(client, staff.headers("intake1"), number)["name"] == "triage"
    context.close()


def test_the_form_in_english_on_a_desktop(browser, live_server, deployed, tmp_path):
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(live_server + "/submit")
    in_english(page)
    expect(page.get_by_role("heading", name="Submit an appeal")).to_be_visible()
    shot(page, tmp_path, "submit-desktop-en")
    context.close()
