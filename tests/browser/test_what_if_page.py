"""The what-if replay in a real browser: an owner opens, from the process page, what a draft with a shorter clock
would have done to the last weeks' cases -- the late ones listed by step title, the lanes' weekly work -- in Chinese
and English, on a desktop and a phone, checked with axe."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from app import clock
from app.cases.people.users import create_user
from app.cases.procedures.processes import deploy_bpmn
from tests.browser import pages
from tests.browser.pages import SCREENS, in_english, shot
from tests.helpers import COMPLAINT, open_task, register
from tests.web.test_what_if_replay import _answer_within

pytestmark = pytest.mark.browser
PASSWORD = "whatif-demo-pass"


def _recorded(client, staff, days_taken) -> None:
    """Cases answered after the given days on a 10-day clock, a draft (v2) with a 3-day one, an owner to look."""
    deploy_bpmn(_answer_within("calendar_days(10)"), "complaint.bpmn", "test")
    clerk = staff.headers("intake1")
    for days in days_taken:
        number = register(client, clerk, COMPLAINT)["number"]
        clock.advance(timedelta(days=days))
        task = open_task(client, clerk, number)
        assert client.post(f"/api/v1/tasks/{task['id']}/complete", json={}, headers=clerk).status_code == 200
    deploy_bpmn(_answer_within("calendar_days(3)"), "complaint.bpmn", "test", draft=True)
    create_user("whatif_owner", ["owner"], password=PASSWORD, display_name="周流程")


def test_an_owner_reads_what_a_draft_would_have_done(browser, live_server, client, staff, tmp_path):
    _recorded(client, staff, (1, 6, 8))
    for locale, size, label in SCREENS:
        context = browser.new_context(locale=locale, **size)
        page = context.new_page()
        pages.sign_in(page, live_server, "whatif_owner", PASSWORD)
        if locale.startswith("en"):
            in_english(page)
        page.goto(f"{live_server}/workbench/processes/complaint")
        page.goto(live_server + page.locator("a[href*='what-if']").first.get_attribute("href"))
        rows = page.locator("#what-if-cases tbody tr[data-case]")
        assert rows.count() == 2  # the two answers that took 6 and 8 days
        text = rows.first.inner_text()
        assert ("超期" in text and "Answer" in text) or "late" in text
        assert "answer" not in page.locator("main").inner_text()  # steps by their titles, not their ids
        shot(page, tmp_path, f"what-if-{label}")
        context.close()
    clock.reset()


def test_an_owner_hands_every_case_to_the_scheduler_and_the_page_follows_the_run(app, browser, live_server, client,
                                                                                   staff, tmp_path):
    from app.scheduler import build

    app.config["MINYI_WHAT_IF_PAGE_CASES"] = 2
    _recorded(client, staff, (1, 6, 8, 2))
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    pages.sign_in(page, live_server, "whatif_owner", PASSWORD)
    page.goto(f"{live_server}/workbench/processes/complaint/what-if?version=2")
    page.get_by_role("button", name="在后台演练全部 4 件").click()
    page.locator("#what-if-run[data-state='queued']").wait_for()
    shot(page, tmp_path, "what-if-run-queued")
    build(app).get_job("what-if-runs").func()  # the scheduler's round
    page.locator("#what-if-run[data-state='done']").wait_for(timeout=10000)  # the page looked again by itself
    expect(page.locator("#what-if-cases tbody tr[data-case]")).to_have_count(2)  # the 6- and 8-day answers
    shot(page, tmp_path, "what-if-run-done")
    page.get_by_role("link", name="complaint").first.click()  # the crumb back to the process, which lists the run
    expect(page.locator("#what-if-runs li[data-state='done']")).to_have_count(1)
    page.locator("#diagram[data-ready='error']").wait_for()  # this test's diagram has no layout: said in Chinese
    assert page.locator("#diagram").inner_text().startswith("此流程没有可显示的图")
    shot(page, tmp_path, "what-if-runs-listed")
    context.close()
    clock.reset()
    app.config["MINYI_WHAT_IF_PAGE_CASES"] = 500
