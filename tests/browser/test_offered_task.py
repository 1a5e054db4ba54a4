"""A task the diagram offers to several named people, in a real browser: one of them (of another department than
the case's queue) finds it in their inbox, reads on its page who else it is offered to, claims it from the inbox and
opens its case, whose timeline says whom it was offered to. Chinese and English, a desktop and a phone, with axe."""

from __future__ import annotations

import io

import pytest
from playwright.sync_api import expect

from app.cases.people.users import create_user
from tests.browser import pages
from tests.browser.pages import SCREENS, in_english, shot
from tests.helpers import COMPLAINT
from tests.unit.bpmn_factory import process

pytestmark = pytest.mark.browser
PASSWORD = "offers-demo-pass"
OFFERED = process('<bpmn:startEvent id="start"/><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="check"/>'
                  '<bpmn:userTask id="check" name="Check on site 现场核实" camunda:candidateUsers="wang_env,zhao_housing"/>'
                  '<bpmn:sequenceFlow id="f2" sourceRef="check" targetRef="end"/><bpmn:endEvent id="end"/>',
                  process_id="help")


def test_an_offered_person_finds_claims_and_follows_the_task(browser, live_server, client, staff, deployed, tmp_path):
    create_user("wang_env", ["handler"], "ENV", password=PASSWORD, display_name="王承办")
    create_user("zhao_housing", ["handler"], "HOUSING", password=PASSWORD, display_name="赵住房")
    assert client.post("/api/v1/processes?new_version=true", headers=staff.headers("owner1"), content_type="multipart/form-data",
                       data={"file": (io.BytesIO(OFFERED), "help.bpmn")}).status_code == 201
    numbers = [client.post("/api/v1/cases", json=dict(COMPLAINT, category="help", title=f"楼道灯不亮 {i}"),
                           headers=staff.headers("intake1")).json["number"] for i in range(len(SCREENS))]
    for (locale, size, label), number in zip(SCREENS, numbers, strict=True):
        context = browser.new_context(locale=locale, **size)
        page = context.new_page()
        pages.sign_in(page, live_server, "zhao_housing", PASSWORD)
        english = locale.startswith("en")
        if english:
            in_english(page)
        row = page.locator(f"tr[data-case='{number}']")
        expect(row).to_have_count(1)
        row.get_by_role("link").last.click()
        offered = page.locator("#offered-to")
        expect(offered).to_contain_text("王承办, 赵住房" if english else "王承办、赵住房")
        expect(offered).to_contain_text("whoever claims it first" if english else "先领取者办理")
        shot(page, tmp_path, f"offered-task-{label}")
        page.go_back()
        page.locator(f"tr[data-case='{number}']").get_by_role("button", name="Claim" if english else "领取").click()
        expect(page.locator(f"tr[data-case='{number}']")).to_contain_text("zhao_housing")
        page.goto(f"{live_server}/cases/{number}")
        expect(page.locator("#timeline")).to_contain_text("wang_env, zhao_housing")
        shot(page, tmp_path, f"offered-case-{label}")
        context.close()
