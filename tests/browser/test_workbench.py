"""The process owners' workbench in a real browser: change a procedure in the modeler, see a broken element marked,
fix it, publish and activate, and find the new name and deadline on a new case; then the diff and a form's preview."""

from __future__ import annotations

from datetime import datetime

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.calendar import working_days_after
from app.cases.people.users import create_user
from app.cases.reference import work_calendar, zone
from app.extensions import db
from app.models import Case, ProcessVersion, Task
from tests.browser import pages
from tests.browser.pages import shot
from tests.helpers import COMPLAINT, TRIAGE_ACCEPT, complete, register

pytestmark = pytest.mark.browser

PASSWORD = "owner-demo-pass-1"


@pytest.fixture
def owner_page(live_server, browser, staff, deployed):
    create_user("po", ["owner"], password=PASSWORD, display_name="流程负责人")
    context = browser.new_context(locale="zh-CN", viewport={"width": 1500, "height": 950})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    pages.sign_in(page, live_server, "po", PASSWORD)
    yield page, errors
    context.close()


def settle(page) -> None:
    page.evaluate("window.minyiEditor.settled()")


def field(page, entry_id: str):
    return page.locator(f"#bio-properties-panel-{entry_id}")


def wait_for_xml(page, text: str) -> None:
    for _ in range(50):
        if text in page.evaluate("window.minyiEditor.getXML()"):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"{text!r} never reached the diagram")


def test_an_owner_changes_a_task_in_the_modeler_fixes_a_problem_publishes_and_a_new_case_follows(
        owner_page, live_server, client, staff, tmp_path):
    page, errors = owner_page
    page.goto(live_server + "/workbench")
    page.get_by_role("link", name="流程工作台").first.wait_for()
    shot(page, tmp_path, "workbench-zh")
    page.locator("tr[data-key='complaint'] a").first.click()
    page.get_by_role("link", name="编辑").first.click()
    page.locator("#editor[data-ready='true']").wait_for(timeout=20000)

    # rename the investigation and give it a clock that does not evaluate
    assert page.evaluate("window.minyiEditor.select('investigate')")
    settle(page)
    field(page, "name").fill("Investigate on site 现场调查核实")
    expect(field(page, "minyi-alert")).to_be_visible()  # the alert policy beside the clock
    field(page, "minyi-due").fill("earliest(working_days(8), case_deu)")
    wait_for_xml(page, "case_deu")
    page.get_by_role("button", name="检查").click()
    page.locator("#problems li[data-element='investigate']").wait_for()
    problem = page.locator("#problems li[data-element='investigate']").inner_text()
    assert "case_deu" in problem and "没有提供" in problem  # the engine's lint, in the page's language
    marked = page.evaluate("""() => window.minyiEditor.modeler.get('elementRegistry')
        .filter((e) => window.minyiEditor.modeler.get('canvas').hasMarker(e, 'minyi-problem')).map((e) => e.id)""")
    assert marked == ["investigate"]
    shot(page, tmp_path, "workbench-editor-problem")

    # a publish is refused while it is broken; saving keeps the work
    page.get_by_role("button", name="发布并启用").click()
    page.locator("#editor-status.error").wait_for()
    page.get_by_role("button", name="保存工作稿").click()
    page.locator("#editor-status.ok").wait_for()
    assert db.session.scalar(select(ProcessVersion.version).where(ProcessVersion.active.is_(True),
                                                                 ProcessVersion.key == "complaint")) == 1

    # fix it, check again, publish and activate
    page.locator("#problems li[data-element='investigate']").click()
    settle(page)
    field(page, "minyi-due").fill("earliest(working_days(8), case_due)")
    wait_for_xml(page, "working_days(8), case_due)")
    page.get_by_role("button", name="检查").click()
    page.locator("#editor-status.ok").wait_for()
    assert page.locator("#problems li").count() == 0
    page.get_by_role("button", name="发布并启用").click()
    page.locator("#active-version").wait_for()
    assert page.locator("#active-version").inner_text() == "启用中：v2"
    assert page.get_by_text("工作稿由").count() == 0  # the saved (broken) copy went with the publish
    shot(page, tmp_path, "workbench-process-v2")

    # a new case starts on v2: the renamed task, with its 8-working-day clock
    number = register(client, staff.headers("intake1"), dict(COMPLAINT, petitioner=dict(COMPLAINT["petitioner"])))["number"]
    complete(client, staff.headers("intake1"), number, TRIAGE_ACCEPT)
    db.session.expire_all()
    case = db.session.scalar(select(Case).where(Case.number == number))
    task = db.session.scalar(select(Task).where(Task.case_id == case.id, Task.name == "investigate"))
    assert task.title == "Investigate on site 现场调查核实"
    expected = min(working_days_after(task.created_at, 8, zone(), work_calendar()).at, case.due_at)
    assert abs((task.due_at - expected).total_seconds()) < 1, (task.due_at, expected)
    assert task.due_at != _ten_days_from(task.created_at, case.due_at)

    # the diff page shows the renamed task, in the list and coloured on the diagram
    page.goto(live_server + "/workbench/processes/complaint/diff?from=1&to=2")
    page.locator("#diff[data-ready='true']").wait_for(timeout=20000)
    assert "Investigate on site 现场调查核实" in page.locator("tr[data-element='investigate']").inner_text()
    assert "investigate" in page.locator("#diff").get_attribute("data-changed").split()
    shot(page, tmp_path, "workbench-diff")
    assert errors == []


def test_a_form_is_previewed_as_it_is_typed_and_its_mistakes_are_shown(owner_page, live_server, tmp_path):
    page, errors = owner_page
    page.goto(live_server + "/workbench/forms/complaint_investigation")
    source = page.locator("#form-source")
    text = source.input_value()
    source.fill(text.replace("{zh: 查明事实, en: Facts established}", "{zh: 现场查明的事实, en: Facts}"))
    page.locator("#form-preview label[for='field-facts']").get_by_text("现场查明的事实").wait_for()
    shot(page, tmp_path, "workbench-form")
    source.fill(text.replace("type: text", "type: colour", 1))
    page.locator("#form-errors").get_by_text("fields.0.type").wait_for()
    page.get_by_role("button", name="保存").click()
    page.locator("#save-errors").wait_for()
    assert errors == []


# start -> a script that sets no case field -> end: lints clean, and lint warns that it closes a case unanswered
ANSWERED_BY_NOBODY = b"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC"
  xmlns:di="http://www.omg.org/spec/DD/20100524/DI" id="defs" targetNamespace="https://minyi.test">
  <bpmn:process id="help" isExecutable="true">
    <bpmn:startEvent id="start" name="Received"/>
    <bpmn:sequenceFlow id="f0" sourceRef="start" targetRef="note"/>
    <bpmn:scriptTask id="note" name="Note it"><bpmn:script>noted = True</bpmn:script></bpmn:scriptTask>
    <bpmn:sequenceFlow id="f1" sourceRef="note" targetRef="end"/>
    <bpmn:endEvent id="end" name="Done"/>
  </bpmn:process>
  <bpmndi:BPMNDiagram id="d"><bpmndi:BPMNPlane id="pl" bpmnElement="help">
    <bpmndi:BPMNShape id="start_di" bpmnElement="start"><dc:Bounds x="152" y="102" width="36" height="36"/></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="note_di" bpmnElement="note"><dc:Bounds x="240" y="80" width="100" height="80"/></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="end_di" bpmnElement="end"><dc:Bounds x="392" y="102" width="36" height="36"/></bpmndi:BPMNShape>
    <bpmndi:BPMNEdge id="f0_di" bpmnElement="f0"><di:waypoint x="188" y="120"/><di:waypoint x="240" y="120"/></bpmndi:BPMNEdge>
    <bpmndi:BPMNEdge id="f1_di" bpmnElement="f1"><di:waypoint x="340" y="120"/><di:waypoint x="392" y="120"/></bpmndi:BPMNEdge>
  </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
</bpmn:definitions>
"""


def _ten_days_from(moment: datetime, case_due: datetime) -> datetime:
    return min(working_days_after(moment, 10, zone(), work_calendar()).at, case_due)


def test_an_owner_moves_the_safe_cases_with_progress_shown_and_rolls_back(owner_page, live_server, client, staff, tmp_path):
    from app.cases.procedures.processes import deploy_bpmn
    from tests.web.workbench_helpers import RENAMED

    page, errors = owner_page
    waiting = [register(client, staff.headers("intake1"), dict(COMPLAINT, petitioner=dict(COMPLAINT["petitioner"])))["number"]
               for _ in range(3)]
    moved_on = waiting.pop()
    complete(client, staff.headers("intake1"), moved_on, TRIAGE_ACCEPT)  # now on the task v2 renames: stays
    deploy_bpmn(RENAMED.encode(), "complaint.bpmn", "po")
    page.goto(live_server + "/workbench/processes/complaint")
    page.get_by_role("link", name="迁移案件到 v2").click()
    expect(page.locator("tr[data-safe='yes']")).to_have_count(2)
    expect(page.locator("tr[data-safe='no']")).to_have_count(1)
    shot(page, tmp_path, "workbench-migrate-plan")
    page.locator("#migrate").click()
    page.locator("#migration-status[data-status='completed']").wait_for(timeout=20000)
    expect(page.locator("tr[data-status='migrated']")).to_have_count(2)
    shot(page, tmp_path, "workbench-migration-done")
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#rollback").click()
    page.locator("#migration-status[data-status='rolled_back']").wait_for()
    assert page.locator("tr[data-status='rolled_back']").count() == 2
    assert errors == []


def test_check_lists_lints_warnings_after_its_problems_and_the_simulation_runs_in_the_editor(owner_page, live_server,
                                                                                             tmp_path):
    from app.cases.procedures.workbench import save_working_copy

    page, errors = owner_page
    save_working_copy("help", ANSWERED_BY_NOBODY, "po", None)
    page.goto(live_server + "/workbench/processes/help/edit")
    page.locator("#editor[data-ready='true']").wait_for(timeout=20000)
    page.get_by_role("button", name="检查").click()
    page.locator("#editor-status.ok").wait_for()
    assert page.locator("#editor-status").inner_text() == "没有问题：可以发布。请先看下面的提醒。"
    warning = page.locator("#problems li.warning[data-element='end']")
    assert warning.inner_text().startswith("提醒：")
    assert "没有答复的情况下办结" in warning.inner_text()
    warning.click()  # goes to its element, which is not marked as a problem
    assert page.evaluate("window.minyiEditor.modeler.get('selection').get().map((e) => e.id)") == ["end"]
    assert page.locator(".minyi-problem").count() == 0
    shot(page, tmp_path, "workbench-editor-warning")

    page.get_by_role("button", name="模拟运行").click()
    page.locator(".djs-element[data-element-id='start']").hover()
    page.locator(".djs-overlays[data-container-id='start'] .bts-context-pad[title='触发此事件']").click()
    page.locator(".bts-element-notification").get_by_text("模拟结束").wait_for(timeout=20000)
    shot(page, tmp_path, "workbench-editor-simulation")
    assert errors == []
