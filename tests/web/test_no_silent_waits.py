"""No silent waits (issue 23, item 3): a timer behind an event-based gateway is in the timer table and fires like
any other; a process that ends without a final status closes its case."""

import io
from datetime import timedelta
from pathlib import Path

from app import clock
from tests.helpers import COMPLAINT, open_task
from tests.unit.bpmn_factory import process

WAIT_FOR_A_REPLY = process(
    '<bpmn:startEvent id="start"/><bpmn:sequenceFlow id="f0" sourceRef="start" targetRef="ask"/>'
    '<bpmn:userTask id="ask" name="Ask for the missing papers"/>'
    '<bpmn:sequenceFlow id="f1" sourceRef="ask" targetRef="gw"/>'
    '<bpmn:eventBasedGateway id="gw" name="Reply or two days"/>'
    '<bpmn:sequenceFlow id="f2" sourceRef="gw" targetRef="two_days"/>'
    '<bpmn:sequenceFlow id="f3" sourceRef="gw" targetRef="reply"/>'
    '<bpmn:intermediateCatchEvent id="two_days" name="Two days without a reply">'
    '<bpmn:timerEventDefinition><bpmn:timeDuration>"P2D"</bpmn:timeDuration></bpmn:timerEventDefinition>'
    '</bpmn:intermediateCatchEvent>'
    '<bpmn:intermediateCatchEvent id="reply" name="Papers arrive"><bpmn:messageEventDefinition id="md" messageRef="m1"/>'
    '</bpmn:intermediateCatchEvent>'
    '<bpmn:sequenceFlow id="f4" sourceRef="two_days" targetRef="end"/><bpmn:sequenceFlow id="f5" sourceRef="reply" targetRef="handle"/>'
    '<bpmn:userTask id="handle" name="Handle with the papers"/><bpmn:sequenceFlow id="f6" sourceRef="handle" targetRef="end2"/>'
    '<bpmn:endEvent id="end"/><bpmn:endEvent id="end2"/>', process_id="help",
    lanes={"Intake": ["start", "ask", "gw", "two_days", "reply", "handle", "end", "end2"]},
).replace(b'<bpmn:process', b'<bpmn:message id="m1" name="papers"/><bpmn:process')


def test_a_timer_behind_an_event_based_gateway_fires_and_the_ended_process_closes_the_case(app, client, staff, deployed,
                                                                                              frozen):
    clerk = staff.headers("intake1")
    number = _started(client, staff)
    case = client.get(f"/api/v1/cases/{number}", headers=clerk).json
    assert case["status"] == "registered" and case["open_tasks"] == []
    runner = app.test_cli_runner()
    assert runner.invoke(args=["timers", "run-due"]).exit_code == 0
    assert client.get(f"/api/v1/cases/{number}", headers=clerk).json["status"] == "registered"  # not yet due
    clock.advance(timedelta(days=2, minutes=1))
    fired = runner.invoke(args=["timers", "run-due"])
    assert fired.exit_code == 0, fired.output
    case = client.get(f"/api/v1/cases/{number}", headers=clerk).json
    assert case["status"] == "closed"  # the timer's path ended the process; no status set: closed


def _started(client, staff, xml=WAIT_FOR_A_REPLY):
    owner, clerk = staff.headers("owner1"), staff.headers("intake1")
    response = client.post("/api/v1/processes?new_version=true", headers=owner, content_type="multipart/form-data",
                           data={"file": (io.BytesIO(xml), "help.bpmn")})
    assert response.status_code == 201, response.json
    number = client.post("/api/v1/cases", json=dict(COMPLAINT, category="help"), headers=clerk).json["number"]
    task = open_task(client, clerk, number)
    assert client.post(f"/api/v1/tasks/{task['id']}/complete", json={}, headers=clerk).status_code == 200
    return number


def test_a_message_sent_to_the_case_moves_its_process_on_and_a_wrong_one_is_told_what_it_waits_for(client, staff,
                                                                                                   deployed):
    clerk = staff.headers("intake1")
    number = _started(client, staff)
    wrong = client.post(f"/api/v1/cases/{number}/events/letter", json={}, headers=clerk)
    assert wrong.status_code == 409
    assert wrong.json["error"]["message"] == ("the case's process is not waiting for the message 'letter' now "
                                              "(it waits for: papers)")
    own = client.post(f"/api/v1/cases/{number}/events/withdraw", json={}, headers=clerk)
    assert own.status_code == 422 and "name" in own.json["error"]["details"]
    assert client.post(f"/api/v1/cases/{number}/events/papers", json={"data": "x"}, headers=clerk).status_code == 422
    assert client.post(f"/api/v1/cases/{number}/events/papers", json={}, headers=staff.headers("analyst1")).status_code == 403
    sent = client.post(f"/api/v1/cases/{number}/events/papers", json={"data": {"pages": 3}}, headers=clerk)
    assert sent.status_code == 200 and sent.json == {"case_number": number, "message": "papers", "status": "registered"}
    handle = open_task(client, clerk, number)
    assert handle["name"] == "handle"
    again = client.post(f"/api/v1/cases/{number}/events/papers", json={}, headers=clerk)
    assert again.status_code == 409 and "(it waits for: -)" in again.json["error"]["message"]
    timeline = client.get(f"/api/v1/cases/{number}/timeline", headers=clerk).json["items"]
    assert [e["action"] for e in timeline].count("case.message_received") == 1


def test_the_cli_sends_a_message_as_a_named_user(app, client, staff, deployed):
    number = _started(client, staff)
    runner = app.test_cli_runner()
    nobody = runner.invoke(args=["processes", "message", number, "papers", "--as", "ghost"])
    assert nobody.exit_code == 1 and "no active user 'ghost'" in nobody.output
    bad = runner.invoke(args=["processes", "message", number, "papers", "--as", "intake1", "--data", "[1]"])
    assert bad.exit_code == 1 and "--data must be a JSON object" in bad.output
    done = runner.invoke(args=["processes", "message", number, "papers", "--as", "intake1", "--data", '{"pages": 2}'])
    assert done.exit_code == 0 and f"{number}: papers delivered" in done.output
    assert open_task(client, staff.headers("intake1"), number)["name"] == "handle"


def test_a_message_start_event_is_refused_at_upload_saying_what_to_do_instead(client, staff):
    xml = WAIT_FOR_A_REPLY.replace(b'<bpmn:startEvent id="start"/>',
                                   b'<bpmn:startEvent id="start" name="Papers"><bpmn:messageEventDefinition id="sm" '
                                   b'messageRef="m1"/></bpmn:startEvent>')
    refused = client.post("/api/v1/processes", headers=staff.headers("owner1"), content_type="multipart/form-data",
                          data={"file": (io.BytesIO(xml), "help.bpmn")})
    assert refused.status_code == 422
    problems = refused.json["error"]["details"]["problems"]
    assert [p["element"] for p in problems] == ["start"]
    assert problems[0]["message"].startswith("start event 'Papers' waits for a message, but a case's process starts")


ANSWERED_BY_NOBODY = process(
    '<bpmn:startEvent id="start"/><bpmn:sequenceFlow id="f0" sourceRef="start" targetRef="note"/>'
    '<bpmn:scriptTask id="note" name="Note it"><bpmn:script>noted = True</bpmn:script></bpmn:scriptTask>'
    '<bpmn:sequenceFlow id="f1" sourceRef="note" targetRef="end"/><bpmn:endEvent id="end" name="Done"/>',
    process_id="help", lanes={"Intake": ["start", "note", "end"]})


def test_lint_warns_of_a_way_that_closes_a_case_nobody_answered_and_deploys_it_all_the_same(client, staff, app):
    owner = staff.headers("owner1")
    response = client.post("/api/v1/processes?new_version=true", headers=owner, content_type="multipart/form-data",
                           data={"file": (io.BytesIO(ANSWERED_BY_NOBODY), "help.bpmn")})
    assert response.status_code == 201, response.json
    [warning] = response.json["warnings"]
    assert warning["element"] == "end"
    assert "end event 'Done'" in warning["message"] and "closed without an answer" in warning["message"]

    # the shipped processes and a wait with a timer beside it are not warned about
    assert client.post("/api/v1/processes?dry_run=true", headers=owner, content_type="multipart/form-data",
                       data={"file": (io.BytesIO(WAIT_FOR_A_REPLY), "help.bpmn")}).json["warnings"] == []
    files = sorted(str(path) for path in (Path(app.root_path).parent / "processes").glob("*.bpmn"))
    shipped = app.test_cli_runner().invoke(args=["processes", "lint", *files])
    assert shipped.exit_code == 0 and "warning" not in shipped.output, shipped.output
