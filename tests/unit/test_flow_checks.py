"""Lint of the diagram's shape: each problem names the element the workbench marks and says what to change."""

import pytest
from lxml import etree

from app.engine import BpmnRejectedError, lint_process, parse_bpmn
from app.engine.flow_checks import own_process, reachability
from tests.unit.bpmn_factory import linear, process

LANES = ["Intake", "Department"]


def problems(xml: bytes, lanes=LANES, **kwargs) -> list[tuple[str, str]]:
    return [(p.element, p.message) for p in lint_process(parse_bpmn(xml, "t.bpmn"), lanes, ["f1"], **kwargs)]


def elements(xml: bytes, **kwargs) -> list[str]:
    return [element for element, _ in problems(xml, **kwargs)]


def flow(flow_id: str, source: str, target: str, condition: str | None = None) -> str:
    if condition is None:
        return f'<bpmn:sequenceFlow id="{flow_id}" sourceRef="{source}" targetRef="{target}"/>'
    return (f'<bpmn:sequenceFlow id="{flow_id}" sourceRef="{source}" targetRef="{target}">'
            f"<bpmn:conditionExpression>{condition}</bpmn:conditionExpression></bpmn:sequenceFlow>")


def split(kind: str = "exclusiveGateway", default: str | None = None, conditions=("amount &gt; 100", "amount &lt;= 100")) -> bytes:
    """start -> gateway 'gw' -> 'yes' / 'no' (user tasks, with the given conditions; None = no condition) -> end."""
    default_attr = f' default="{default}"' if default else ""
    return process(
        '<bpmn:startEvent id="start"/>' + flow("f0", "start", "gw") + f'<bpmn:{kind} id="gw"{default_attr}/>'
        + flow("f_yes", "gw", "yes", conditions[0]) + flow("f_no", "gw", "no", conditions[1])
        + '<bpmn:userTask id="yes"/><bpmn:userTask id="no"/>'
        + flow("f3", "yes", "end") + flow("f4", "no", "end") + '<bpmn:endEvent id="end"/>')


# 1. Gateways whose conditions may all be false

@pytest.mark.parametrize("kind", ["exclusiveGateway", "inclusiveGateway"])
def test_a_gateway_with_only_conditional_flows_and_no_default_is_named_with_the_fix(kind):
    found = problems(split(kind, conditions=("amount &gt; 100", "amount &lt; 50")))
    assert len(found) == 1 and found[0][0] == "gw"
    assert "no default flow: if no condition holds the case stops here; mark one outgoing flow as the default" in found[0][1]


@pytest.mark.parametrize("kind", ["exclusiveGateway", "inclusiveGateway"])
@pytest.mark.parametrize("conditions", [("amount &gt; 100", "amount &lt;= 100"), ("approved", "not approved"),
                                        ("not (a and b)", "a and b"), ("level == 'I'", "level != 'I'"),
                                        ("${approved}", "${!approved}"), ("'x' in tags", "'x' not in tags")])
def test_a_gateway_whose_conditions_are_each_others_opposite_needs_no_default(kind, conditions):
    assert problems(split(kind, conditions=conditions)) == []


@pytest.mark.parametrize("conditions", [("amount &gt; 100", "amount &lt; 100"), ("level == 'I'", "level == 'II'"),
                                        ("approved == True", "approved == False"), ("a", "not b"),
                                        ("set(tags) &lt;= set(ok)", "set(tags) &gt; set(ok)"),  # sets: partly ordered
                                        ("a &lt; b", "a &gt;= b"),  # no literal side: could be sets, or NaN
                                        ("float(s) &lt; 5", "float(s) &gt;= 5")])  # a call: NaN from 'nan'

def test_conditions_that_may_all_be_false_still_need_a_default(conditions):
    assert elements(split(conditions=conditions)) == ["gw"]


@pytest.mark.parametrize("kind", ["exclusiveGateway", "inclusiveGateway"])
def test_a_gateway_with_a_default_flow_passes(kind):
    assert problems(split(kind, default="f_no", conditions=("amount &gt; 100", None))) == []
    assert problems(split(kind, default="f_no")) == []  # a default that also has a condition is still a way on


def test_a_single_conditional_flow_out_of_a_gateway_is_flagged_too():
    xml = process('<bpmn:startEvent id="start"/>' + flow("f0", "start", "gw") + '<bpmn:exclusiveGateway id="gw"/>'
                  + flow("f1", "gw", "end", "amount &gt; 100") + '<bpmn:endEvent id="end"/>')
    assert elements(xml) == ["gw"]


def test_a_flow_without_condition_that_is_not_the_default_is_refused_at_that_flow():
    with pytest.raises(BpmnRejectedError) as err:
        parse_bpmn(split(conditions=("amount &gt; 100", None)), "t.bpmn")
    (problem,) = err.value.problems
    assert problem.element == "f_no"
    assert problem.message == ("the flow from exclusive gateway 'gw' to 'no' has no condition and is not the default: "
                               "give it a condition, or mark it as the gateway's default flow")


def test_gateways_of_a_process_that_is_not_executable_are_not_checked():
    other = ('<bpmn:process id="sketch" isExecutable="false"><bpmn:exclusiveGateway id="sketch_gw"/>'
             + flow("s1", "sketch_gw", "a") + flow("s2", "sketch_gw", "b") + '<bpmn:task id="a"/><bpmn:task id="b"/></bpmn:process>')
    xml = linear('<bpmn:userTask id="t"/>').replace(b"</bpmn:definitions>", other.encode() + b"</bpmn:definitions>")
    assert problems(xml) == []


def test_a_default_that_does_not_leave_the_gateway_is_refused_at_the_gateway():
    with pytest.raises(BpmnRejectedError) as err:
        parse_bpmn(split(default="f3"), "t.bpmn")
    assert [(p.element, p.message) for p in err.value.problems] == [
        ("gw", "exclusive gateway 'gw' names 'f3' as its default flow, which does not leave it; choose one of f_yes, f_no")]


# 2. Unreachable elements and dead ends

def test_an_element_no_flow_leads_to_is_named():
    xml = linear('<bpmn:userTask id="t"/>', extra='<bpmn:userTask id="orphan" name="Call back"/>'
                 + flow("f9", "orphan", "end"))
    assert problems(xml) == [("orphan", "user task 'Call back' cannot be reached from the start event: no sequence flow "
                                        "leads to it; connect it with a flow or delete it")]


def test_boundary_events_of_reached_activities_and_event_subprocesses_count_as_reached():
    xml = linear(
        '<bpmn:userTask id="t"/>',
        extra='<bpmn:boundaryEvent id="late" attachedToRef="t" cancelActivity="false"><bpmn:timerEventDefinition>'
        "<bpmn:timeDuration>P1D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>"
        + flow("f5", "late", "remind") + '<bpmn:userTask id="remind"/>' + flow("f6", "remind", "late_end")
        + '<bpmn:endEvent id="late_end"/>'
        '<bpmn:subProcess id="on_message" triggeredByEvent="true"><bpmn:startEvent id="msg_start" isInterrupting="false">'
        '<bpmn:messageEventDefinition messageRef="m"/></bpmn:startEvent>' + flow("f7", "msg_start", "note")
        + '<bpmn:userTask id="note"/>' + flow("f8", "note", "msg_end") + '<bpmn:endEvent id="msg_end"/></bpmn:subProcess>',
    ).replace(b"</bpmn:definitions>", b'<bpmn:message id="m" name="m"/></bpmn:definitions>')
    assert problems(xml) == []


def test_inside_a_subprocess_reachability_starts_at_its_own_start_event():
    xml = linear('<bpmn:subProcess id="t"><bpmn:startEvent id="s_start"/>' + flow("s1", "s_start", "inner")
                 + '<bpmn:userTask id="inner"/>' + flow("s2", "inner", "s_end") + '<bpmn:endEvent id="s_end"/>'
                 '<bpmn:userTask id="stray"/>' + flow("s3", "stray", "s_end") + "</bpmn:subProcess>")
    assert elements(xml) == ["stray"]


def test_link_events_and_compensation_handlers_are_not_unreachable():
    xml = process(
        '<bpmn:startEvent id="start"/>' + flow("f0", "start", "pay") + '<bpmn:task id="pay"/>'
        + '<bpmn:boundaryEvent id="undo" attachedToRef="pay"><bpmn:compensateEventDefinition/></bpmn:boundaryEvent>'
        + '<bpmn:task id="refund" isForCompensation="true"/>'
        + flow("f1", "pay", "jump") + '<bpmn:intermediateThrowEvent id="jump"><bpmn:linkEventDefinition name="next"/>'
        "</bpmn:intermediateThrowEvent>"
        '<bpmn:intermediateCatchEvent id="land"><bpmn:linkEventDefinition name="next"/></bpmn:intermediateCatchEvent>'
        + flow("f2", "land", "check") + '<bpmn:userTask id="check"/>' + flow("f3", "check", "end") + '<bpmn:endEvent id="end"/>'
        + '<bpmn:association id="a1" associationDirection="One" sourceRef="undo" targetRef="refund"/>')
    # Read as XML only: the engine refuses compensation events, but a modeler may still draw them.
    assert reachability(own_process(etree.fromstring(xml), "p")) == []


def _loop(exit_condition: str | None) -> bytes:
    """start -> work -> gw -> back to work (default), or on to the end when `exit_condition` holds (no exit if None)."""
    exit_flow = flow("f_out", "gw", "end", exit_condition) + '<bpmn:endEvent id="end"/>' if exit_condition else ""
    return process('<bpmn:startEvent id="start"/>' + flow("f0", "start", "work") + '<bpmn:userTask id="work" name="Work"/>'
                   + flow("f1", "work", "gw") + '<bpmn:exclusiveGateway id="gw" default="f_back"/>'
                   + flow("f_back", "gw", "work") + exit_flow)


def test_an_activity_from_which_no_end_can_be_reached_is_named():
    found = problems(_loop(None))
    assert len(found) == 1 and found[0][0] == "work" and "can never finish" in found[0][1]


def test_a_loop_with_a_way_out_passes():
    assert problems(_loop("done")) == []


def test_a_loop_another_branch_can_end_with_a_terminate_end_event_passes():
    xml = process('<bpmn:startEvent id="start"/>' + flow("f0", "start", "fork") + '<bpmn:parallelGateway id="fork"/>'
                  + flow("fa", "fork", "remind") + '<bpmn:userTask id="remind"/>' + flow("fb", "remind", "remind")
                  + flow("fc", "fork", "work") + '<bpmn:userTask id="work"/>' + flow("fd", "work", "stop")
                  + '<bpmn:endEvent id="stop"><bpmn:terminateEventDefinition/></bpmn:endEvent>')
    assert problems(xml) == []


# 3. Lanes

def test_a_lane_with_no_group_is_named_even_when_it_holds_no_user_task():
    xml = linear('<bpmn:userTask id="t"/>', lanes={"Intake": ["start", "t", "end"], "Archive": []})
    found = problems(xml)
    assert [e for e, _ in found] == ["lane_Archive"] and "lane 'Archive' maps to no known group" in found[0][1]


def test_a_user_task_in_no_lane_of_a_process_with_lanes_passes_its_process_default_group_does_it():
    xml = linear('<bpmn:userTask id="t" name="Check"/>', lanes={"Intake": ["start", "end"]})
    assert problems(xml) == []


def test_a_candidate_group_named_outright_that_reaches_no_group_is_named_on_its_task():
    task = ('<bpmn:userTask id="t" name="Check" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" '
            'camunda:candidateGroups="Intake, Finance, ${owners}"/>')
    assert problems(linear(task)) == [("t", "candidate group 'Finance' maps to no group: map it (minyi lanes map Finance "
                                            "GROUP, or the lanes page) or name a group such as handler@*")]


def test_a_process_without_lanes_and_known_lanes_pass():
    assert problems(linear('<bpmn:userTask id="t"/>')) == []
    assert problems(linear('<bpmn:userTask id="t"/>', lanes={"Intake": ["t"]})) == []


# 4. `due` expressions

def test_a_due_on_an_unknown_name_says_which_name_and_what_is_known():
    task = ('<bpmn:userTask id="t"><bpmn:extensionElements><spiffworkflow:properties>'
            '<spiffworkflow:property name="due" value="working_days(review_dayz)"/></spiffworkflow:properties>'
            "</bpmn:extensionElements></bpmn:userTask>")
    found = problems(linear(task), helpers={"working_days": lambda n: f"P{n}D"}, start_data={"review_days": 3})
    assert found == [("t", "due 'working_days(review_dayz)' does not evaluate: 'review_dayz' is not provided by the start "
                           "data, a form or a script (known: review_days)")]


def _due(expression: str) -> bytes:
    return linear('<bpmn:userTask id="t"><bpmn:extensionElements><spiffworkflow:properties>'
                  f'<spiffworkflow:property name="due" value="{expression}"/></spiffworkflow:properties>'
                  "</bpmn:extensionElements></bpmn:userTask>"
                  '<bpmn:boundaryEvent id="late" attachedToRef="t" cancelActivity="false"><bpmn:timerEventDefinition>'
                  "<bpmn:timeDuration>P5D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>"
                  '<bpmn:sequenceFlow id="f_late" sourceRef="late" targetRef="late_end"/><bpmn:endEvent id="late_end"/>')


def test_a_due_branch_the_sample_data_does_not_take_is_still_read_for_unknown_names():
    helpers = {"working_days": lambda n: f"P{n}D"}
    found = problems(_due("working_days(3) if not major else working_days(urgent_dayz)"), helpers=helpers,
                     start_data={"major": False, "urgent_days": 1}, form_fields={})
    assert found == [("t", "due 'working_days(3) if not major else working_days(urgent_dayz)' uses 'urgent_dayz', which "
                           "no form, script or the start data provides (known: urgent_days, major)")]
    assert problems(_due("working_days(urgent_days)"), helpers=helpers, start_data={"urgent_days": 1}, form_fields={}) == []
    assert problems(_due("P3D"), start_data={}, form_fields={}) == []  # an ISO literal, not a name


def test_an_unknown_name_that_fails_evaluation_is_reported_once():
    found = problems(_due("working_days(urgent_dayz)"), helpers={"working_days": lambda n: f"P{n}D"}, start_data={},
                     form_fields={})
    assert len(found) == 1 and "does not evaluate: 'urgent_dayz' is not provided" in found[0][1]


def test_a_due_in_juel_names_the_task_and_the_python_to_write():
    task = ('<bpmn:userTask id="t"><bpmn:extensionElements><spiffworkflow:properties>'
            '<spiffworkflow:property name="due" value="${dueDate}"/></spiffworkflow:properties></bpmn:extensionElements>'
            "</bpmn:userTask>")
    found = problems(linear(task))
    assert len(found) == 1 and found[0][0] == "t" and "JUEL; expressions are Python: write dueDate" in found[0][1]


# 5. Conditions on names nothing provides

FIELDS = {"f1": [{"name": "amount", "type": "integer"}]}


def _decision(condition: str, script: str = "note = 1") -> bytes:
    """start -> form f1 -> script -> gateway: `condition` to 'big', default to the end."""
    return process(
        '<bpmn:startEvent id="start"/>' + flow("f0", "start", "ask") + '<bpmn:userTask id="ask" camunda:formKey="f1"/>'
        + flow("f1", "ask", "calc") + f'<bpmn:scriptTask id="calc"><bpmn:script>{script}</bpmn:script></bpmn:scriptTask>'
        + flow("f2", "calc", "gw") + '<bpmn:exclusiveGateway id="gw" default="f_small"/>'
        + flow("f_big", "gw", "big", condition) + flow("f_small", "gw", "end")
        + '<bpmn:userTask id="big"/>' + flow("f3", "big", "end") + '<bpmn:endEvent id="end"/>')


def test_a_condition_on_a_misspelt_field_is_named_at_the_flow_with_the_known_names():
    found = problems(_decision("amout &gt; 100"), start_data={"category": "x"}, form_fields=FIELDS)
    assert found == [("f_big", "condition \"amout > 100\" uses 'amout', which no form or script provides (known: amount, "
                               "category, note): correct the name, or add a form field or script variable of that name")]


@pytest.mark.parametrize("condition", [
    "amount &gt; 100",  # a form field
    "category == 'x'",  # start data
    "note and limit &gt; 1",  # assigned by a script (limit only inside an if)
    "any(a &gt; 1 for a in [amount]) and max(amount, 1) &gt; 0",  # comprehension variables and sandbox builtins
    "working_days(amount) is not None",  # a helper
])
def test_conditions_on_names_the_process_provides_pass(condition):
    script = "note = 1\nif note:\n    limit = 2"
    found = problems(_decision(condition, script), start_data={"category": "x"}, form_fields=FIELDS,
                     helpers={"working_days": lambda n: f"P{n}D"})
    assert found == []


def test_unknown_names_are_not_flagged_when_lint_does_not_know_every_form():
    assert problems(_decision("amout &gt; 100"), start_data={}) == []
    assert problems(_decision("amout &gt; 100"), start_data={}, form_fields={}) == []


def test_tasks_of_an_embedded_subprocess_are_not_named_again_for_the_lane_they_inherit():
    xml = linear('<bpmn:subProcess id="t"><bpmn:startEvent id="s_start"/>' + flow("s1", "s_start", "inner")
                 + '<bpmn:userTask id="inner"/>' + flow("s2", "inner", "s_end") + '<bpmn:endEvent id="s_end"/></bpmn:subProcess>',
                 lanes={"Nobody": ["start", "t", "end"]})
    assert elements(xml) == ["lane_Nobody"]


def test_a_task_of_a_called_process_in_an_unknown_lane_is_named_at_the_task():
    callee = linear('<bpmn:userTask id="t"/>', lanes={"Nobody": ["start", "t", "end"]}).replace(b'id="p"', b'id="callee"')
    caller = linear('<bpmn:callActivity id="t" calledElement="callee"/>')
    found = lint_process(parse_bpmn(caller, "p.bpmn", {"callee.bpmn": callee}), LANES, [])
    assert [(p.element, p.message) for p in found] == [
        ("t", "lane 'Nobody' of the called process maps to no known group: rename that lane in the called process's diagram")]


def test_a_task_with_two_outgoing_flows_is_refused_saying_which_gateway_to_draw():
    xml = linear('<bpmn:userTask id="t" name="Decide"/>', extra=flow("f9", "t", "other") + '<bpmn:endEvent id="other"/>')
    with pytest.raises(BpmnRejectedError) as err:
        parse_bpmn(xml, "t.bpmn")
    assert [(p.element, p.message) for p in err.value.problems] == [
        ("t", "user task 'Decide' has 2 outgoing flows, but only a gateway can split the flow: draw an exclusive gateway "
              "after it to choose one way by conditions, or a parallel gateway to take them all")]


def test_a_condition_on_a_flow_out_of_a_task_is_named_as_never_evaluated():
    xml = linear('<bpmn:userTask id="t"/>').replace(b'<bpmn:sequenceFlow id="f2" sourceRef="t" targetRef="end"/>',
                                                    flow("f2", "t", "end", "amount &gt; 1").encode())
    assert problems(xml) == [("f2", "the condition on the flow from user task 't' is never evaluated: only flows out of an "
                                    "exclusive or inclusive gateway are chosen by condition; put an exclusive gateway "
                                    "before this flow, or delete the condition")]


def test_the_due_of_a_multi_instance_task_knows_its_item_and_names_an_unknown_name_once():
    task = ('<bpmn:userTask id="t"><bpmn:extensionElements><spiffworkflow:properties>'
            '<spiffworkflow:property name="due" value="working_days(unit) if not major else working_days(dayz)"/>'
            "</spiffworkflow:properties></bpmn:extensionElements><bpmn:multiInstanceLoopCharacteristics>"
            '<bpmn:loopDataInputRef>units</bpmn:loopDataInputRef><bpmn:inputDataItem id="unit" name="unit"/>'
            "</bpmn:multiInstanceLoopCharacteristics></bpmn:userTask>")
    found = problems(linear(task), helpers={"working_days": lambda n: f"P{n}D"}, start_data={"units": [1], "major": False},
                     form_fields={})
    assert [(e, m.split(" uses ")[1].split(",")[0]) for e, m in found] == [("t", "'dayz'")]
