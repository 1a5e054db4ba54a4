"""Deploy-time lint in the app: status names come from the case model, helpers from the calendar."""

from pathlib import Path

import pytest

from app.cases.errors import ProcessRejectedError
from app.cases.procedures.processes import lint_bpmn

ROOT = Path(__file__).resolve().parents[2]
COMPLAINT_XML = (ROOT / "processes" / "complaint.bpmn").read_bytes()


def _rejected(xml: bytes) -> list[tuple[str, str]]:
    with pytest.raises(ProcessRejectedError) as err:
        lint_bpmn(xml, "complaint.bpmn")
    return [(p["element"], p["message"]) for p in err.value.details["problems"]]


def test_the_shipped_complaint_lints_with_only_its_own_data(app):
    assert lint_bpmn(COMPLAINT_XML, "complaint.bpmn").process_id == "complaint"


def test_a_misspelt_status_in_set_case_is_refused_naming_the_script_task(app):
    xml = COMPLAINT_XML.replace(b"set_case(status='answered'", b"set_case(status='answerd'")
    found = _rejected(xml)
    assert len(found) == 1 and found[0][0] == "mark_answered" and "answerd" in found[0][1]


def test_a_due_on_a_variable_the_process_never_defines_is_refused(app):
    found = _rejected(COMPLAINT_XML.replace(b'name="due" value="case_due"', b'name="due" value="acceptance_due"'))
    assert len(found) == 1 and found[0][0] == "triage"
    assert found[0][1].startswith("due 'acceptance_due' does not evaluate: 'acceptance_due' is not provided by the start data, "
                                  "a form or a script (known: acceptance_days, case_due, ")


def test_the_legacy_case_status_variable_is_refused(app):
    found = dict(_rejected(COMPLAINT_XML.replace(b"set_case(status='closed')", b"case_status = 'closed'")))
    assert found == {"mark_closed": "set the case status with set_case(status=...)"}


def test_a_process_with_its_own_review_days_lints_with_the_real_calendar(app):
    from tests.unit.bpmn_factory import script_then_timer

    xml = script_then_timer("review_days = 10", "working_days(review_days)").replace(b'id="p"', b'id="review"')
    xml = xml.replace(b"timeDuration", b"timeDate")  # working_days gives a moment, not a duration
    assert lint_bpmn(xml, "review.bpmn").process_id == "review"


def test_a_misspelt_field_in_a_condition_is_refused_at_the_flow(app):
    found = _rejected(COMPLAINT_XML.replace(b"triage_decision == 'reject'", b"triage_decison == 'reject'"))
    assert len(found) == 1 and found[0][0] == "f_reject"
    assert "uses 'triage_decison', which no form or script provides (known: triage_decision, " in found[0][1]
