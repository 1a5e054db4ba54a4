"""Deploy-time lint: each problem is refused with the BPMN element id that causes it."""

from pathlib import Path

import pytest

from app.engine import (
    BpmnRejectedError,
    as_utf8,
    lint_process,
    make_script_engine,
    parse_bpmn,
    ready_human_tasks,
    start_instance,
)
from tests.unit.bpmn_factory import gateway, linear, process, timer_boundary

ROOT = Path(__file__).resolve().parents[2]
LANES = ["Intake", "Department", "DepartmentHead", "Leadership"]
FORMS = ["f1"]


def problems(xml: bytes, lanes=LANES, forms=FORMS):
    return [(p.element, p.message) for p in lint_process(parse_bpmn(xml, "t.bpmn"), lanes, forms)]


def test_camunda_attributes_are_read_into_the_task():
    xml = linear(
        '<bpmn:userTask id="t" name="Check" camunda:formKey="f1" camunda:candidateGroups="intake" camunda:assignee="bob">'
        '<bpmn:extensionElements><camunda:properties><camunda:property name="sla" value="P5D"/></camunda:properties>'
        "</bpmn:extensionElements></bpmn:userTask>",
        lanes={"Intake": ["start", "t", "end"]},
    )
    parsed = parse_bpmn(xml, "t.bpmn")
    spec = parsed.spec.task_specs["t"]
    assert spec.extensions["formKey"] == "f1"
    assert spec.extensions["candidateGroups"] == "intake"
    assert spec.extensions["assignee"] == "bob"
    assert spec.extensions["properties"] == {"sla": "P5D"}
    workflow = start_instance(parsed.spec, parsed.subprocess_specs, make_script_engine())
    (task,) = ready_human_tasks(workflow)
    assert (task.name, task.form, task.lane) == ("t", "f1", "Intake")


def test_camunda_collection_multi_instance_creates_one_task_per_item():
    xml = linear(
        '<bpmn:userTask id="t" camunda:formKey="f1">'
        '<bpmn:multiInstanceLoopCharacteristics camunda:collection="departments" camunda:elementVariable="department"/>'
        "</bpmn:userTask>"
    )
    parsed = parse_bpmn(xml, "t.bpmn")
    workflow = start_instance(parsed.spec, parsed.subprocess_specs, make_script_engine(), {"departments": ["ENV", "HOUSING"]})
    tasks = ready_human_tasks(workflow)
    assert [t.name for t in tasks] == ["t", "t"]


def test_xml_that_is_not_well_formed_is_rejected():
    with pytest.raises(BpmnRejectedError) as err:
        parse_bpmn(b"<bpmn:definitions", "broken.bpmn")
    assert err.value.problems[0].element == "broken.bpmn"


def test_xsd_violations_are_rejected():
    xml = process('<bpmn:startEvent id="start"/><bpmn:notAnElement id="x"/>')
    with pytest.raises(BpmnRejectedError) as err:
        parse_bpmn(xml, "t.bpmn")
    assert "notAnElement" in str(err.value)


def test_a_file_needs_one_executable_process():
    xml = process('<bpmn:startEvent id="s"/>').replace(b'isExecutable="true"', b'isExecutable="false"')
    with pytest.raises(BpmnRejectedError):
        parse_bpmn(xml, "t.bpmn")


@pytest.mark.parametrize(
    "condition, fragment",
    [
        ("${order.amount &gt; 100}", "JUEL that Python reads otherwise"),
        ("__import__('os')", "does not compile"),
        ("().__class__.__base__", "does not compile"),
        ("amount &gt;", "does not compile"),
    ],
)
def test_conditions_that_do_not_compile_name_the_gateway(condition, fragment):
    found = problems(gateway(condition))
    assert len(found) == 1 and found[0][0] == "gw" and fragment in found[0][1]


def test_scripts_with_imports_name_the_script_task():
    xml = linear('<bpmn:scriptTask id="t"><bpmn:script>import os</bpmn:script></bpmn:scriptTask>')
    assert problems(xml)[0][0] == "t"


def test_a_lane_with_no_group_is_named_at_the_lane_with_the_groups_it_could_be():
    xml = linear('<bpmn:userTask id="t"/>', lanes={"Nobody": ["start", "t", "end"]})
    assert problems(xml) == [("lane_Nobody", "lane 'Nobody' maps to no known group: rename it to one of Department, "
                                             "DepartmentHead, Intake, Leadership, or map it to a group (minyi lanes map Nobody GROUP, "
                                             "or the lanes page)")]


def test_a_missing_form_is_named():
    xml = linear('<bpmn:userTask id="t" camunda:formKey="ghost"/>')
    assert problems(xml) == [("t", "no form 'ghost' exists: create it among the workbench's forms (or put it in forms/), or name an "
                                 "existing one")]


@pytest.mark.parametrize("expression", ["P5D", "'PT2H'", "R3/P2D"])
def test_good_timers_pass(expression):
    kind = "timeCycle" if expression.startswith("R") else "timeDuration"
    assert problems(timer_boundary(expression, kind)) == []


@pytest.mark.parametrize(
    "expression, fragment",
    [("${duration}", "JUEL"), ("five_days", "does not evaluate"), ("5", "not an ISO-8601 string"), ("'soon'", "not a valid")],
)
def test_bad_timers_are_named(expression, fragment):
    found = problems(timer_boundary(expression))
    assert len(found) == 1 and found[0][0] == "late" and fragment in found[0][1], found


def test_a_sequence_flow_to_a_missing_element_is_named_with_what_it_points_at():
    xml = linear('<bpmn:userTask id="t"/>').replace(b'targetRef="end"', b'targetRef="nowhere"')
    with pytest.raises(BpmnRejectedError) as err:
        parse_bpmn(xml, "t.bpmn")
    assert [(p.element, p.message) for p in err.value.problems] == [("f2", "its targetRef 'nowhere' is not an element of the file")]


def test_a_latin1_file_is_read_as_latin1_and_undeclared_bytes_that_are_not_utf8_are_refused():
    xml = linear('<bpmn:userTask id="t" name="caf\xe9"/>').replace(b'encoding="UTF-8"', b'encoding="ISO-8859-1"')
    assert parse_bpmn(xml.replace("é".encode(), b"\xe9"), "t.bpmn").spec.task_specs["t"].bpmn_name == "café"
    with pytest.raises(BpmnRejectedError) as err:
        parse_bpmn(linear('<bpmn:userTask id="t" name="caf\xe9"/>').replace("é".encode(), b"\xe9"), "t.bpmn")
    assert "not UTF-8" in err.value.problems[0].message


# Any declared encoding whose bytes decode (issue 23, item 4)

def _declared(encoding: str, name: str) -> str:
    return (linear(f'<bpmn:userTask id="t" name="{name}"/>', lanes={"Intake": ["start", "t", "end"]}).decode()
            .replace('encoding="UTF-8"', f'encoding="{encoding}"'))


def test_a_file_in_its_declared_encoding_is_read_and_comes_back_as_utf8():
    assert parse_bpmn(_declared("ASCII", "Check").encode("ascii"), "t.bpmn").spec.task_specs["t"].bpmn_name == "Check"
    gbk = _declared("GBK", "核实情况").encode("gbk")
    assert parse_bpmn(gbk, "t.bpmn").spec.task_specs["t"].bpmn_name == "核实情况"
    converted = as_utf8(gbk, "t.bpmn")
    assert 'encoding="UTF-8"' in converted.decode("utf-8") and "核实情况" in converted.decode("utf-8")


def test_a_file_whose_bytes_are_not_its_declared_encoding_is_refused_naming_it():
    with pytest.raises(BpmnRejectedError) as refused:
        parse_bpmn(_declared("ASCII", "核实情况").encode("gbk"), "t.bpmn")
    assert [(p.element, p.message) for p in refused.value.problems] == [
        ("t.bpmn", "the file declares encoding ASCII but its bytes are not ASCII; save it as UTF-8")]
    with pytest.raises(BpmnRejectedError) as mislabelled:
        parse_bpmn(_declared("ASCII", "核实情况").encode("utf-8"), "t.bpmn")
    assert mislabelled.value.problems[0].message == ("the file declares encoding ASCII but its bytes are UTF-8; change "
                                                     "its declaration to UTF-8")
    with pytest.raises(BpmnRejectedError) as unknown:
        parse_bpmn(_declared("KLINGON-8", "Check").encode("ascii"), "t.bpmn")
    assert unknown.value.problems[0].message == "the file declares encoding KLINGON-8, which is not known; save it as UTF-8"


# Clear refusals for what a process here cannot run; Camunda's multi-instance attributes on any activity

def test_a_service_task_a_send_task_and_compensation_are_refused_with_what_to_draw_instead():
    xml = process('<bpmn:startEvent id="start"/><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="call"/>'
                  '<bpmn:serviceTask id="call" name="Call the registry" camunda:type="external" camunda:topic="x"/>'
                  '<bpmn:sequenceFlow id="f2" sourceRef="call" targetRef="mail"/>'
                  '<bpmn:sendTask id="mail" name="Mail the result"/>'
                  '<bpmn:sequenceFlow id="f3" sourceRef="mail" targetRef="end"/><bpmn:endEvent id="end"/>'
                  '<bpmn:boundaryEvent id="undo" attachedToRef="call"><bpmn:compensateEventDefinition/></bpmn:boundaryEvent>')
    with pytest.raises(BpmnRejectedError) as refused:
        parse_bpmn(xml, "t.bpmn")
    assert [(p.element, p.message) for p in refused.value.problems] == [
        ("call", "service task 'Call the registry': a process here calls no outside service; let a script task work "
                 "out what it needs, or a user task ask a person to do it"),
        ("mail", "send task 'Mail the result': a process here sends nothing itself (the petitioner's messages go out "
                 "with each step); use a user task for the person who sends it"),
        ("undo", "boundary event 'undo': compensation is not supported; draw the steps that undo the work as ordinary "
                 "tasks on the path")]


def test_camunda_multi_instance_attributes_work_on_a_script_task_too():
    xml = linear('<bpmn:scriptTask id="t" name="Note each"><bpmn:multiInstanceLoopCharacteristics '
                 'camunda:collection="departments" camunda:elementVariable="department"/>'
                 '<bpmn:script>noted = department</bpmn:script></bpmn:scriptTask>',
                 lanes={"Intake": ["start", "t", "end"]})
    parsed = parse_bpmn(xml, "t.bpmn")
    spec = parsed.spec.task_specs["t"]
    assert spec.data_input.bpmn_id == "departments" and spec.input_item.bpmn_id == "department"
    workflow = start_instance(parsed.spec, parsed.subprocess_specs, make_script_engine(), {"departments": ["ENV", "HOUSING"]})
    assert workflow.is_completed()


def test_a_call_activity_to_a_process_nowhere_is_named_on_the_call_activity():
    xml = linear('<bpmn:callActivity id="t" name="Check" calledElement="nowhere"/>', lanes={"Intake": ["start", "t", "end"]})
    with pytest.raises(BpmnRejectedError) as refused:
        parse_bpmn(xml, "t.bpmn")
    assert [(p.element, p.message) for p in refused.value.problems] == [
        ("t", "call activity 'Check' calls process 'nowhere', which neither this file nor any deployed process holds: "
              "upload the called process first, or draw it in this file")]
