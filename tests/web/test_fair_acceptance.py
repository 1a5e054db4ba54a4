"""Fair acceptance (issue 23, item 4): a caller and the process it calls in one file run as one procedure; a file
with two unrelated processes is told which ones and what to do."""

import io

from tests.helpers import COMPLAINT, open_task
from tests.unit.bpmn_factory import HEADER

CALLER_AND_CALLEE = (HEADER + (
    '<bpmn:process id="help" name="Help request 求助" isExecutable="true">'
    '<bpmn:laneSet id="ls1"><bpmn:lane id="l1" name="Intake"><bpmn:flowNodeRef>start</bpmn:flowNodeRef>'
    '<bpmn:flowNodeRef>check</bpmn:flowNodeRef><bpmn:flowNodeRef>end</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>'
    '<bpmn:startEvent id="start"/><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="check"/>'
    '<bpmn:callActivity id="check" name="Check it" calledElement="help_check"/>'
    '<bpmn:sequenceFlow id="f2" sourceRef="check" targetRef="end"/><bpmn:endEvent id="end"/></bpmn:process>'
    '<bpmn:process id="help_check" name="Check 核查" isExecutable="true">'
    '<bpmn:startEvent id="c_start"/><bpmn:sequenceFlow id="c1" sourceRef="c_start" targetRef="visit"/>'
    '<bpmn:userTask id="visit" name="Visit the place"/>'
    '<bpmn:sequenceFlow id="c2" sourceRef="visit" targetRef="c_end"/><bpmn:endEvent id="c_end"/></bpmn:process>'
    '</bpmn:definitions>')).encode()


def _upload(client, headers, xml):
    return client.post("/api/v1/processes?new_version=true", data={"file": (io.BytesIO(xml), "help.bpmn")},
                       headers=headers, content_type="multipart/form-data")


def test_a_caller_and_its_callee_in_one_file_run_as_one_procedure(client, staff, deployed):
    uploaded = _upload(client, staff.headers("owner1"), CALLER_AND_CALLEE)
    assert uploaded.status_code == 201 and uploaded.json["key"] == "help", uploaded.json
    clerk = staff.headers("intake1")
    number = client.post("/api/v1/cases", json=dict(COMPLAINT, category="help"), headers=clerk).json["number"]
    visit = open_task(client, clerk, number)  # the callee's task, in the caller's lane
    assert visit["name"] == "visit" and visit["group"] == "intake"
    assert client.post(f"/api/v1/tasks/{visit['id']}/complete", json={}, headers=clerk).status_code == 200
    assert client.get(f"/api/v1/cases/{number}", headers=clerk).json["status"] == "closed"


def test_two_processes_neither_calling_the_other_are_refused_naming_both(client, staff, deployed):
    unrelated = CALLER_AND_CALLEE.replace(b'calledElement="help_check"', b'calledElement="elsewhere"')
    refused = _upload(client, staff.headers("owner1"), unrelated)
    assert refused.status_code == 422
    assert refused.json["error"]["details"]["problems"][0]["message"] == (
        "the file holds 2 executable processes that no call activity calls (help, help_check): a file holds the "
        "process its cases start and the processes it calls; put the others in their own files")
