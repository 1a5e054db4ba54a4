"""Small things a clerk or handler trips on, in a real browser: the keyboard stays where it was after claiming and
releasing; a refused upload says why beside the upload; the case's diagram can be enlarged and zoomed, and on a phone
it scrolls; a queue's task is claimed by whoever submits it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.cases.people.users import create_user
from tests.browser import pages
from tests.browser.pages import shot
from tests.helpers import TRIAGE_ACCEPT, complete, register

pytestmark = pytest.mark.browser

PASSWORD = "env-handler-pass"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def handler_case(staff, deployed, client, complaint):
    create_user("env_handler", ["handler"], "ENV", password=PASSWORD, display_name="李承办")
    number = register(client, staff.headers("intake1"), complaint)["number"]
    complete(client, staff.headers("intake1"), number, TRIAGE_ACCEPT)
    return number


def test_claiming_and_releasing_from_the_keyboard_keeps_the_focus_on_the_row(live_server, page, handler_case, tmp_path):
    pages.sign_in(page, live_server, "env_handler", PASSWORD)
    row = f"tr[data-case='{handler_case}']"
    page.locator(row).get_by_role("button", name="领取").focus()
    page.keyboard.press("Enter")
    expect(page.locator(row).get_by_role("button", name="放回队列")).to_be_focused()
    assert page.evaluate(f"document.activeElement.closest(\"{row}\") !== null")
    page.keyboard.press("Enter")
    expect(page.locator(row).get_by_role("button", name="领取")).to_be_focused()
    shot(page, tmp_path, "inbox-after-keyboard-release")


def test_a_refused_upload_says_why_beside_the_upload(live_server, page, handler_case, tmp_path, app, monkeypatch):
    monkeypatch.setitem(app.config, "MINYI_ATTACHMENTS_DIR", str(tmp_path / "attachments"))
    program = tmp_path / "setup.exe"
    program.write_bytes(b"MZ\x90\x00" + b"\x00" * 60)
    pages.sign_in(page, live_server, "env_handler", PASSWORD)
    page.goto(f"{live_server}/cases/{handler_case}")
    page.get_by_label("上传附件").set_input_files(str(program))
    page.get_by_role("button", name="上传", exact=True).click()
    result = page.locator("section[aria-labelledby='attachments-title'] #upload-result")
    assert result.get_attribute("role") == "alert" and result.inner_text().startswith("附件未上传")
    box, viewport = result.bounding_box(), page.viewport_size
    assert 0 <= box["y"] and box["y"] + box["height"] <= viewport["height"]  # on screen where the page landed
    shot(page, tmp_path, "case-upload-refused")


def test_the_diagram_is_enlarged_zoomed_and_scrolled_on_a_phone(live_server, browser, handler_case, tmp_path):
    context = browser.new_context(locale="zh-CN", viewport=PHONE)
    page = context.new_page()
    pages.sign_in(page, live_server, "env_handler", PASSWORD)
    page.goto(f"{live_server}/cases/{handler_case}")
    page.wait_for_selector("#diagram[data-ready='true']")
    shown = page.locator("#diagram .djs-visual text").all_text_contents()
    words = " ".join(shown)
    assert "领导" in words and "调查核实" in words  # the lane by its role, the task by its Chinese name
    assert "Leadership" not in words and "Investigate" not in words
    before = page.evaluate("window.minyiViewer.get('canvas').zoom()")
    page.get_by_role("button", name="放大查看").click()
    assert page.get_by_role("button", name="放大查看").get_attribute("aria-pressed") == "true"
    scroller = page.locator("#diagram-scroll")
    assert scroller.evaluate("el => el.scrollWidth > el.clientWidth")  # wider than the phone: it scrolls sideways
    assert page.evaluate("window.minyiViewer.get('canvas').zoom()") == pytest.approx(1.0)
    page.get_by_role("button", name="放大", exact=True).click()
    assert page.evaluate("window.minyiViewer.get('canvas').zoom()") == pytest.approx(1.25)
    shot(page, tmp_path, "case-diagram-enlarged-phone")
    page.get_by_role("button", name="放大查看").click()
    assert page.evaluate("window.minyiViewer.get('canvas').zoom()") == pytest.approx(before, rel=0.05)
    context.close()


def test_a_queue_task_submitted_without_claiming_is_claimed_by_who_submits_it(live_server, page, handler_case, client,
                                                                              staff, tmp_path):
    pages.sign_in(page, live_server, "env_handler", PASSWORD)
    page.locator(f"tr[data-case='{handler_case}']").get_by_role("link", name="调查核实").click()
    assert page.locator("#claim-on-submit").inner_text() == "提交本表即由您领取并办结此环节。"
    page.get_by_label("查明事实").fill("经现场核查，夜间施工属实。")
    page.get_by_label("责任认定").fill("施工单位")
    page.get_by_label("处理措施").fill("责令停止夜间施工。")
    page.get_by_role("button", name="提交办理").click()
    page.wait_for_url(lambda url: "/tasks/" not in url)
    timeline = client.get(f"/api/v1/cases/{handler_case}/timeline", headers=staff.headers("super1")).json["items"]
    steps = [(e["action"], e["actor"]) for e in timeline if e["action"] in ("task.claimed", "task.completed")]
    assert steps[-2:] == [("task.claimed", "env_handler"), ("task.completed", "env_handler")]


def test_the_head_reads_the_investigation_on_the_review_page_desktop_and_phone(live_server, browser, staff, deployed,
                                                                                client, complaint, tmp_path):
    from tests.helpers import INVESTIGATION

    create_user("env_head", ["head"], "ENV", password=PASSWORD, display_name="周科长")
    number = register(client, staff.headers("intake1"), complaint)["number"]
    complete(client, staff.headers("intake1"), number, TRIAGE_ACCEPT)
    complete(client, staff.headers("handler1"), number, INVESTIGATION)
    for name, viewport in (("desktop", {"width": 1280, "height": 900}), ("phone", PHONE)):
        context = browser.new_context(locale="zh-CN", viewport=viewport)
        page = context.new_page()
        pages.sign_in(page, live_server, "env_head", PASSWORD)
        page.locator(f"tr[data-case='{number}']").get_by_role("link").last.click()
        record = page.locator("#work-record")
        expect(record.locator("details[open]")).to_have_count(1)
        assert INVESTIGATION["facts"] in record.locator("details[open]").inner_text()
        shot(page, tmp_path, f"review-with-record-{name}")
        context.close()
