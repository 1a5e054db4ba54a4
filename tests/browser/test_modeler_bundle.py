"""The workbench's modeler bundle (MinyiModeler) in a real browser, driven the way a process owner works:
the properties panel with Minyi's group, templates, the palette, undo, problem markers, both languages;
and what it writes is what Minyi reads (Camunda 7 attributes and every shipped process survive a round trip)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.bundles import (
    CAMUNDA,
    ROOT,
    field,
    select,
    settle,
    task_settings,
    wait_for_xml,
    xml_of,
)
from tests.browser.pages import shot

pytestmark = pytest.mark.browser


def test_a_user_task_shows_its_form_and_clock_in_the_chinese_minyi_group(modeler, tmp_path):
    page = modeler()
    select(page, "investigate")

    group = page.locator("[data-group-id='group-minyi']")
    assert "办理设置" in group.inner_text()
    assert field(page, "minyi-form").input_value() == "complaint_investigation"
    assert field(page, "minyi-due").input_value() == "earliest(working_days(10), case_due)"
    assert "P3D" in group.inner_text()
    panel = page.locator("#panel").inner_text()
    for label in ("用户任务", "常规", "名称", "表单", "办理时限", "预警比例", "超期后升级"):
        assert label in panel
    assert page.locator(".djs-palette [aria-label='创建任务']").count() == 1
    assert page.locator(".djs-context-pad [data-action='append.gateway']").get_attribute("title") == "追加网关"
    page.locator(".djs-context-pad [data-action='replace']").click()
    assert page.locator(".djs-popup").get_by_text("脚本任务").count() == 1
    shot(page, tmp_path, "modeler-zh-replace-menu")
    page.keyboard.press("Escape")
    shot(page, tmp_path, "modeler-zh")


def test_editing_the_name_and_due_in_the_panel_writes_them_into_the_xml(modeler):
    page = modeler()
    select(page, "investigate")
    assert page.evaluate("window.editor.isDirty()") is False

    field(page, "name").fill("Investigate on site 实地调查")
    field(page, "minyi-due").fill("earliest(working_days(7), case_due)")

    xml = wait_for_xml(page, "working_days(7)")
    assert 'name="Investigate on site 实地调查"' in xml
    assert '<spiffworkflow:property name="due" value="earliest(working_days(7), case_due)" />' in xml
    assert '<spiffworkflow:property name="formKey" value="complaint_investigation" />' in xml
    assert page.evaluate("window.editor.isDirty()") is True
    assert page.evaluate("window.changes.length") >= 2
    page.evaluate("window.editor.markSaved()")
    assert page.evaluate("window.editor.isDirty()") is False


def test_properties_on_a_task_without_any_are_written_like_the_shipped_processes(modeler):
    page = modeler(
        CAMUNDA.replace(' camunda:formKey="complaint_triage" camunda:candidateGroups="intake"', "")
        .replace('<camunda:properties><camunda:property name="due" value="working_days(5)" /></camunda:properties>', "")
        .replace("<bpmn:extensionElements>", "")
        .replace("</bpmn:extensionElements>", "")
    )
    select(page, "check")
    field(page, "minyi-form").select_option("help_triage")
    field(page, "minyi-due").fill("P3D")

    xml = wait_for_xml(page, "P3D")
    assert re.search(
        r"<bpmn:extensionElements>\s*<spiffworkflow:properties>\s*"
        r'<spiffworkflow:property name="formKey" value="help_triage" />\s*'
        r'<spiffworkflow:property name="due" value="P3D" />\s*'
        r"</spiffworkflow:properties>\s*</bpmn:extensionElements>",
        xml,
    )

    field(page, "minyi-form").select_option("")
    field(page, "minyi-due").fill("")
    assert "extensionElements" not in wait_for_xml(page, "P3D", present=False)


def test_warn_share_outside_zero_to_one_is_refused_in_the_panel(modeler):
    page = modeler()
    select(page, "investigate")
    field(page, "minyi-warn_share").fill("1.5")

    page.locator("[data-entry-id='minyi-warn_share'] .bio-properties-panel-error").wait_for(timeout=5000)
    assert page.locator("[data-entry-id='minyi-warn_share'] .bio-properties-panel-error").inner_text() == "须为 0 到 1 之间的数"
    assert field(page, "minyi-warn_share").input_value() == "1.5"
    assert "warn_share" not in xml_of(page)
    field(page, "minyi-warn_share").fill("0.7")
    assert '<spiffworkflow:property name="warn_share" value="0.7" />' in wait_for_xml(page, 'value="0.7"')


def test_a_template_sets_the_clock_in_one_step_and_undo_takes_it_back(modeler):
    page = modeler()
    select(page, "investigate")
    before = xml_of(page)

    field(page, "minyi-template").select_option("minyi.statutory-task")
    xml = xml_of(page)
    assert '<spiffworkflow:property name="due" value="earliest(working_days(15), case_due)" />' in xml
    assert '<spiffworkflow:property name="warn_share" value="0.8" />' in xml
    assert field(page, "minyi-due").input_value() == "earliest(working_days(15), case_due)"
    assert field(page, "minyi-form").input_value() == "complaint_investigation"

    assert task_settings(xml)["investigate"] == (
        "complaint_investigation",
        {"formKey": "complaint_investigation", "due": "earliest(working_days(15), case_due)", "warn_share": "0.8"},
    )

    field(page, "minyi-template").select_option("minyi.urgent-help")
    assert '<spiffworkflow:property name="due" value="PT24H" />' in xml_of(page)

    page.evaluate("window.editor.modeler.get('commandStack').undo()")
    assert '<spiffworkflow:property name="warn_share" value="0.8" />' in xml_of(page)
    page.locator("#canvas svg").first.focus()
    page.keyboard.press("Control+z")  # the way a process owner undoes
    settle(page)
    assert xml_of(page) == before
    assert field(page, "minyi-due").input_value() == "earliest(working_days(10), case_due)"
    assert page.evaluate("window.editor.isDirty()") is False


def test_the_palette_places_a_user_task_made_from_a_template(modeler):
    page = modeler()
    before = xml_of(page)
    entry = page.locator(".djs-palette [data-action='minyi-create.minyi.head-review']")
    assert entry.get_attribute("aria-label") == "部门负责人审核 — 3个工作日"
    lane = page.locator("[data-element-id='lane_Leadership']").bounding_box()
    entry.click()
    page.mouse.move(lane["x"] + lane["width"] * 0.2, lane["y"] + lane["height"] / 2)
    page.mouse.move(lane["x"] + lane["width"] * 0.2 + 10, lane["y"] + lane["height"] / 2)
    page.mouse.click(lane["x"] + lane["width"] * 0.2 + 10, lane["y"] + lane["height"] / 2)
    settle(page)

    created = page.evaluate("window.editor.modeler.get('selection').get().map((e) => e.id)")
    assert len(created) == 1 and created[0] != "lane_Leadership"
    assert re.search(
        rf'<bpmn:userTask id="{created[0]}" name="部门负责人审核">\s*<bpmn:extensionElements>\s*<spiffworkflow:properties>\s*'
        r'<spiffworkflow:property name="due" value="working_days\(3\)" />\s*</spiffworkflow:properties>',
        xml_of(page),
    )
    assert field(page, "minyi-due").input_value() == "working_days(3)"
    page.evaluate("window.editor.modeler.get('commandStack').undo()")
    assert xml_of(page) == before


def test_problems_mark_their_elements_and_the_unknown_ones_come_back(modeler, tmp_path):
    page = modeler()
    unplaced = page.evaluate("""() => window.editor.showProblems([
      {element: 'investigate', message: "no form 'complaint_investigation' exists"},
      {element: 'investigate', message: "due 'working_days(' does not compile"},
      {element: 'lane_Leadership', message: "lane 'Leadership' maps to no known group"},
      {element: 'complaint', message: 'the process says nothing'},
      {element: 'no_such_task', message: 'somewhere else'}])""")

    assert unplaced == [{"element": "no_such_task", "message": "somewhere else"}]
    marked = page.evaluate("""() => window.editor.modeler.get('elementRegistry')
      .filter((e) => window.editor.modeler.get('canvas').hasMarker(e, 'minyi-problem')).map((e) => e.id).sort()""")
    assert marked == ["complaint_participant", "investigate", "lane_Leadership"]
    badge = page.locator("[data-container-id='investigate'] .minyi-problem-badge")
    assert badge.inner_text().startswith("2")
    expect(page.locator("[data-container-id='investigate'] .minyi-problem-messages")).to_be_hidden()
    badge.hover()
    expect(page.locator("[data-container-id='investigate'] .minyi-problem-messages")).to_be_visible()
    shot(page, tmp_path, "modeler-problems")

    page.evaluate("window.editor.clearProblems()")
    assert page.locator(".minyi-problem-badge").count() == 0
    assert page.locator(".djs-element.minyi-problem").count() == 0


def test_select_scrolls_an_element_into_view_and_says_when_there_is_none(modeler):
    page = modeler()
    page.evaluate("window.editor.modeler.get('canvas').zoom(2.5, {x: 0, y: 0})")
    select(page, "end_closed")
    box = page.locator("[data-element-id='end_closed']").bounding_box()
    canvas = page.locator("#canvas").bounding_box()
    assert canvas["x"] <= box["x"] and box["x"] + box["width"] <= canvas["x"] + canvas["width"]
    assert page.evaluate("window.editor.modeler.get('selection').get().map((e) => e.id)") == ["end_closed"]
    assert page.evaluate("window.editor.select('no_such_element')") is False


def test_a_document_that_does_not_import_rejects_with_the_reason(page, harness_base):
    page.goto(harness_base + "/modeler_harness.html")
    reason = page.evaluate("""() => MinyiModeler.create({container: '#canvas', panel: '#panel', xml: '<bpmn:definitions'})
      .then(() => 'imported', (error) => error.message)""")
    assert reason != "imported" and reason
    assert page.locator("#canvas .djs-container").count() == 0


def test_english_locale_shows_english_labels(modeler, tmp_path):
    page = modeler(locale="en")
    select(page, "investigate")
    panel = page.locator("#panel").text_content()
    assert "User Task" in panel and "Minyi" in panel and "Due (time limit)" in panel
    assert "办理设置" not in panel
    assert page.locator(".djs-palette [aria-label='Create task']").count() == 1
    shot(page, tmp_path, "modeler-en")


def test_a_pool_sets_the_defaults_of_its_process_for_every_task(modeler):
    page = modeler()
    select(page, "complaint_participant")
    assert "办理设置：各任务的默认值" in page.locator("#panel").inner_text()
    field(page, "minyi-escalate_after").fill("working_days(5)")

    xml = wait_for_xml(page, 'name="escalate_after"')
    assert re.search(
        r'<bpmn:process id="complaint"[^>]*>\s*<bpmn:documentation>.*?</bpmn:documentation>\s*<bpmn:extensionElements>\s*'
        r'<spiffworkflow:properties>\s*<spiffworkflow:property name="escalate_after" value="working_days\(5\)" />',
        xml,
        re.S,
    )


def test_a_lane_is_named_after_a_known_group(modeler):
    page = modeler()
    select(page, "lane_Leadership")
    options = field(page, "name").locator("option").all_inner_texts()
    assert "督办 · Supervision" in options
    field(page, "name").select_option("Supervision")
    assert '<bpmn:lane id="lane_Leadership" name="Supervision">' in xml_of(page)


def test_conditions_default_flows_and_scripts_are_in_the_panel(modeler):
    page = modeler()
    select(page, "f_reject")
    assert field(page, "condition").input_value() == "triage_decision == 'reject'"
    field(page, "condition").fill("triage_decision == 'refuse'")
    wait_for_xml(page, "triage_decision == 'refuse'")

    select(page, "gw_triage")
    assert field(page, "defaultFlow").input_value() == "f_accept"
    select(page, "set_clocks")
    assert "acceptance_days = 15" in field(page, "script").input_value()
    assert page.locator("#panel").get_by_text("camunda", exact=False).count() == 0


def test_a_camunda_7_file_keeps_its_camunda_attributes_through_a_round_trip(modeler):
    page = modeler(CAMUNDA)
    select(page, "check")
    assert field(page, "minyi-form").input_value() == "complaint_triage"
    assert field(page, "minyi-due").input_value() == "working_days(5)"

    field(page, "minyi-due").fill("working_days(4)")
    field(page, "minyi-form").select_option("help_triage")
    xml = wait_for_xml(page, "working_days(4)")
    assert 'camunda:formKey="help_triage"' in xml
    assert 'camunda:candidateGroups="intake"' in xml
    assert '<camunda:property name="due" value="working_days(4)" />' in xml
    assert "spiffworkflow:property" not in xml


def test_who_does_a_task_is_set_in_the_panel_as_camunda_7_writes_it(modeler, tmp_path):
    page = modeler(CAMUNDA)
    select(page, "check")
    assert field(page, "minyi-candidateGroups").input_value() == "intake"
    group = page.locator("[data-group-id='group-minyi']").inner_text()
    assert "候选办理组" in group and "候选人" in group and "办理人" in group
    field(page, "minyi-candidateUsers").fill("wang_env, zhao_housing")
    field(page, "minyi-assignee").fill("${reviewer}")
    wait_for_xml(page, "zhao_housing")
    xml = wait_for_xml(page, "reviewer")
    assert 'camunda:candidateUsers="wang_env, zhao_housing"' in xml and 'camunda:assignee="${reviewer}"' in xml
    shot(page, tmp_path, "modeler-who-does-it")
    field(page, "minyi-candidateGroups").fill("")  # emptied: the attribute goes, not an empty one
    field(page, "minyi-assignee").fill("")
    wait_for_xml(page, "camunda:candidateGroups", present=False)
    wait_for_xml(page, "camunda:assignee", present=False)
    xml = xml_of(page)
    assert "camunda:candidateGroups" not in xml and "camunda:assignee" not in xml
    page.keyboard.press("Control+z")  # one undo, one field back
    expect(field(page, "minyi-assignee")).to_have_value("${reviewer}")


@pytest.mark.parametrize("path", sorted((ROOT / "processes").glob("*.bpmn")), ids=lambda path: path.name)
def test_every_shipped_process_keeps_its_spiffworkflow_extensions_through_a_round_trip(modeler, path):
    source = path.read_text(encoding="utf-8")
    page = modeler(source)
    xml = xml_of(page)
    for tag in sorted(set(re.findall(r"<spiffworkflow:\w+|spiffworkflow:\w+=", source))):
        assert xml.count(tag) == source.count(tag), tag
    assert page.evaluate("window.editor.isDirty()") is False
    assert task_settings(xml) == task_settings(source)


SPIFF_MULTI_INSTANCE = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC"
  xmlns:di="http://www.omg.org/spec/DD/20100524/DI" id="defs" targetNamespace="https://minyi.test">
  <bpmn:process id="each_office" name="Each office" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="ask" name="Ask each office">
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
      <bpmn:multiInstanceLoopCharacteristics isSequential="true">
        <bpmn:loopDataInputRef>offices</bpmn:loopDataInputRef>
        <bpmn:loopDataOutputRef>replies</bpmn:loopDataOutputRef>
        <bpmn:inputDataItem id="office" name="office" />
        <bpmn:outputDataItem id="reply" name="reply" />
      </bpmn:multiInstanceLoopCharacteristics>
    </bpmn:userTask>
    <bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="ask" />
    <bpmn:sequenceFlow id="f2" sourceRef="ask" targetRef="end" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="d"><bpmndi:BPMNPlane id="p" bpmnElement="each_office">
    <bpmndi:BPMNShape id="start_di" bpmnElement="start"><dc:Bounds x="100" y="100" width="36" height="36" /></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="ask_di" bpmnElement="ask"><dc:Bounds x="200" y="78" width="100" height="80" /></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="end_di" bpmnElement="end"><dc:Bounds x="360" y="100" width="36" height="36" /></bpmndi:BPMNShape>
    <bpmndi:BPMNEdge id="f1_di" bpmnElement="f1"><di:waypoint x="136" y="118" /><di:waypoint x="200" y="118" /></bpmndi:BPMNEdge>
    <bpmndi:BPMNEdge id="f2_di" bpmnElement="f2"><di:waypoint x="300" y="118" /><di:waypoint x="360" y="118" /></bpmndi:BPMNEdge>
  </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
</bpmn:definitions>"""


def test_multi_instance_collections_written_as_variables_survive_a_load_edit_and_save(modeler):
    """Issue 23, item 5: SpiffWorkflow's variable-named loopDataInputRef/loopDataOutputRef are not dropped."""
    page = modeler(SPIFF_MULTI_INSTANCE)
    xml = xml_of(page)
    assert "<bpmn:loopDataInputRef>offices</bpmn:loopDataInputRef>" in xml
    assert "<bpmn:loopDataOutputRef>replies</bpmn:loopDataOutputRef>" in xml
    assert xml.index("loopDataOutputRef>replies") < xml.index('<bpmn:inputDataItem id="office"')  # schema order
    select(page, "ask")
    field(page, "name").fill("Ask every office")
    xml = wait_for_xml(page, "Ask every office")
    assert xml.count("<bpmn:loopDataInputRef>offices</bpmn:loopDataInputRef>") == 1
    assert "<bpmn:loopDataOutputRef>replies</bpmn:loopDataOutputRef>" in xml
