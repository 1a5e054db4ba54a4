"""Lint evaluates timers with the data the process itself defines, and checks what scripts do to the case."""

import pytest

from app.engine import lint_data, lint_process, parse_bpmn
from tests.unit.bpmn_factory import linear, process, script_then_timer

STATUSES = ["registered", "handling", "answered", "closed", "rejected", "withdrawn"]
START = {"case_number": "1", "category": "complaint", "received_at": "2026-01-05T01:00:00+00:00", "major": False}


def _helpers():
    def working_days(n, start=None):
        if not isinstance(n, int):
            raise TypeError("n must be a number of days")
        return f"P{n}D"

    return {"working_days": working_days, "set_case": lambda **fields: None}


def problems(xml, **kwargs):
    found = lint_process(parse_bpmn(xml, "t.bpmn"), [], [], helpers=_helpers(), start_data=START,
                         known_statuses=STATUSES, **kwargs)
    return [(p.element, p.message) for p in found]


def test_a_process_that_defines_its_own_variables_lints_clean():
    assert problems(script_then_timer("review_days = 10", "working_days(review_days)")) == []


def test_a_timer_on_a_variable_nobody_defines_is_still_refused():
    found = problems(script_then_timer("review_days = 10", "working_days(reveiw_days)"))
    assert found[0][0] == "late" and "does not evaluate" in found[0][1]


def test_values_are_computed_in_flow_order_from_earlier_assignments_and_start_data():
    xml = script_then_timer("base = 4\nreview_days = base * 2 if not major else 1\nfor d in range(2):\n    pass",
                             "working_days(review_days)")
    data = lint_data(parse_bpmn(xml, "t.bpmn"), START, helpers=_helpers())
    assert data["review_days"] == 8 and data["case_number"] == "1" and "d" in data


def test_form_fields_get_plausible_values():
    xml = linear('<bpmn:userTask id="t" camunda:formKey="f1"/>')
    fields = {"f1": [{"name": "days", "type": "integer", "min": 3}, {"name": "kind", "type": "choice", "choices": ["a", "b"]},
                     {"name": "tags", "type": "multichoice", "choices": ["x"]}, {"name": "ok", "type": "boolean"},
                     {"name": "dept", "type": "department"}, {"name": "on", "type": "date"}]}
    data = lint_data(parse_bpmn(xml, "t.bpmn"), {}, fields)
    assert data == {"days": 3, "kind": "a", "tags": ["x"], "ok": False, "dept": "DEPT", "on": "2026-01-05"}


def test_an_assignment_that_cannot_be_evaluated_still_defines_its_name():
    data = lint_data(parse_bpmn(script_then_timer("score = rating['score']", "'P1D'"), "t.bpmn"), {})
    assert "score" in data


@pytest.mark.parametrize("script", ["set_case(status='answerd')", "x = 1\nset_case(answer='a', status='answerd')"])
def test_an_unknown_status_name_in_set_case_is_refused_naming_the_element(script):
    found = problems(linear(f'<bpmn:scriptTask id="t"><bpmn:script>{script}</bpmn:script></bpmn:scriptTask>'))
    assert len(found) == 1 and found[0][0] == "t" and "answerd" in found[0][1]


def test_known_status_names_and_fields_in_set_case_pass():
    script = "set_case(status='handling', department='ENV', due=None, due_reason='x', answer='a')"
    assert problems(linear(f'<bpmn:scriptTask id="t"><bpmn:script>{script}</bpmn:script></bpmn:scriptTask>')) == []


def test_an_unknown_set_case_field_is_refused():
    found = problems(linear('<bpmn:scriptTask id="t"><bpmn:script>set_case(colour="red")</bpmn:script></bpmn:scriptTask>'))
    assert len(found) == 1 and found[0][0] == "t" and "colour" in found[0][1]


def test_the_legacy_case_status_assignment_is_refused_when_switched_on():
    xml = linear('<bpmn:scriptTask id="t"><bpmn:script>case_status = \'x\'</bpmn:script></bpmn:scriptTask>')
    assert problems(xml) == []
    assert problems(xml, reject_legacy_case_status=True) == [("t", "set the case status with set_case(status=...)")]


def test_a_message_variable_gets_a_placeholder_payload():
    xml = process(
        '<bpmn:startEvent id="start"/><bpmn:sequenceFlow id="f0" sourceRef="start" targetRef="wait"/>'
        '<bpmn:intermediateCatchEvent id="wait"><bpmn:messageEventDefinition id="m" messageRef="rated">'
        "<bpmn:extensionElements><spiffworkflow:messageVariable>rating</spiffworkflow:messageVariable>"
        "</bpmn:extensionElements></bpmn:messageEventDefinition></bpmn:intermediateCatchEvent>"
        '<bpmn:sequenceFlow id="f1" sourceRef="wait" targetRef="end"/><bpmn:endEvent id="end"/>'
    ).replace(b"</bpmn:definitions>", b'<bpmn:message id="rated" name="rated"/></bpmn:definitions>')
    assert lint_data(parse_bpmn(xml, "t.bpmn"), {})["rating"] == {}
