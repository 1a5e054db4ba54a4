"""The same lint through both doors a process owner uses: `minyi processes lint FILE` and a dry-run upload.

Each broken process differs from a clean one in one place; both doors must name that element.
"""

import io

import pytest

from tests.processes import bpmn, flow, props, script

LANES = {"Intake": ["triage", "reject"]}


def _process(condition: str = "triage_decision == 'reject'", default: str = ' default="f_accept"',
             reject_script: str = "set_case(status='rejected')", form: str = "complaint_triage", due: str = "working_days(5)",
             lanes: dict | None = None, extra: str = "") -> bytes:
    """start -> triage (Intake, a form, a due) -> gateway: rejected (a script) or accepted -> end."""
    return bpmn(
        '<bpmn:startEvent id="start"/>' + flow("f0", "start", "triage")
        + f'<bpmn:userTask id="triage" name="Triage">{props(formKey=form, due=due)}</bpmn:userTask>'
        + flow("f1", "triage", "gw") + f'<bpmn:exclusiveGateway id="gw"{default}/>'
        + f'<bpmn:sequenceFlow id="f_reject" sourceRef="gw" targetRef="reject"><bpmn:conditionExpression>{condition}'
        "</bpmn:conditionExpression></bpmn:sequenceFlow>"
        + '<bpmn:sequenceFlow id="f_accept" sourceRef="gw" targetRef="end"><bpmn:conditionExpression>'
        "triage_decision == 'accept'</bpmn:conditionExpression></bpmn:sequenceFlow>"
        + script("reject", reject_script) + flow("f2", "reject", "end") + f'<bpmn:endEvent id="end"/>{extra}',
        lanes or LANES)


BROKEN = {
    "juel condition": (_process(condition="${execution.getVariable('triage_decision') == 'reject'}"), "gw", "JUEL"),
    "import in a script": (_process(reject_script="import os"), "reject", "import is not allowed"),
    "unknown lane": (_process(lanes={"Nobody": ["triage", "reject"]}), "lane_Nobody", "maps to no known group"),
    "missing form": (_process(form="ghost_form"), "triage", "no form 'ghost_form' exists"),
    "due that does not evaluate": (_process(due="working_days(review_dayz)"), "triage", "'review_dayz' is not provided"),
    "no default flow": (_process(default=""), "gw", "no default flow"),
    "unreachable element": (_process(extra='<bpmn:scriptTask id="orphan"/>' + flow("f9", "orphan", "end")), "orphan",
                            "cannot be reached from the start event"),
    "unknown field in a condition": (_process(condition="triage_decison == 'reject'"), "f_reject",
                                     "uses 'triage_decison', which no form or script provides (known: triage_decision"),
}


def test_the_clean_process_passes_both_doors(runner, client, staff, tmp_path):
    path = tmp_path / "complaint.bpmn"
    path.write_bytes(_process())
    linted = runner.invoke(args=["processes", "lint", str(path)])
    assert linted.exit_code == 0, linted.output
    response = _dry_run(client, staff, _process())
    assert response.status_code == 200 and response.json["problems"] == []


@pytest.mark.parametrize("case", BROKEN, ids=str)
def test_the_cli_names_the_element_and_exits_1(runner, app, tmp_path, case):
    xml, element, fragment = BROKEN[case]
    path = tmp_path / "complaint.bpmn"
    path.write_bytes(xml)
    linted = runner.invoke(args=["processes", "lint", str(path)])
    assert linted.exit_code == 1
    assert any(line.strip().startswith(f"{element}: ") and fragment in line for line in linted.output.splitlines()), linted.output


@pytest.mark.parametrize("case", BROKEN, ids=str)
def test_a_dry_run_upload_is_422_with_the_element_and_a_message(client, staff, case):
    xml, element, fragment = BROKEN[case]
    response = _dry_run(client, staff, xml)
    assert response.status_code == 422
    problems = response.json["error"]["details"]["problems"]
    assert all(set(p) == {"element", "message"} and p["element"] and p["message"] for p in problems)
    assert any(p["element"] == element and fragment in p["message"] for p in problems), problems


def _dry_run(client, staff, xml: bytes):
    return client.post("/api/v1/processes?dry_run=true", data={"file": (io.BytesIO(xml), "complaint.bpmn")},
                       headers=staff.headers("owner1"), content_type="multipart/form-data")
