"""Process owners deploy versions over HTTP; running cases stay on theirs."""

import io
from pathlib import Path

from tests.helpers import TRIAGE_ACCEPT, complete, register

ROOT = Path(__file__).resolve().parents[2]
COMPLAINT_XML = (ROOT / "processes" / "complaint.bpmn").read_bytes()


def _upload(client, headers, xml, name="complaint.bpmn", dry_run=False):
    url = "/api/v1/processes" + ("?dry_run=true" if dry_run else "")
    return client.post(url, data={"file": (io.BytesIO(xml), name)}, headers=headers, content_type="multipart/form-data")


def test_upload_deploys_a_new_version_and_the_same_content_twice_is_one_version(client, staff):
    owner = staff.headers("owner1")
    first = _upload(client, owner, COMPLAINT_XML)
    assert first.status_code == 201 and first.json["key"] == "complaint" and first.json["version"] == 1
    again = _upload(client, owner, COMPLAINT_XML)
    assert again.status_code == 200 and again.json["version"] == 1 and again.json["created"] is False
    changed = COMPLAINT_XML.replace("Triage 受理分流".encode(), b"Triage v2")
    assert _upload(client, owner, changed).json["version"] == 2
    listed = client.get("/api/v1/processes", headers=owner).json["items"]
    assert [(p["version"], p["active"]) for p in listed] == [(2, True), (1, False)]
    xml = client.get("/api/v1/processes/complaint/versions/2/bpmn", headers=owner)
    assert xml.status_code == 200 and xml.mimetype == "application/xml" and b"Triage v2" in xml.data


def test_new_cases_start_on_the_newest_version_and_running_ones_stay(client, staff, complaint):
    owner, intake = staff.headers("owner1"), staff.headers("intake1")
    _upload(client, owner, COMPLAINT_XML)
    old = register(client, intake, complaint)["number"]
    _upload(client, owner, COMPLAINT_XML.replace("Triage 受理分流".encode(), b"Triage v2"))
    new = register(client, intake, complaint)["number"]
    assert client.get(f"/api/v1/cases/{old}", headers=intake).json["process"]["version"] == 1
    assert client.get(f"/api/v1/cases/{new}", headers=intake).json["process"]["version"] == 2
    assert client.get(f"/api/v1/cases/{new}", headers=intake).json["open_tasks"][0]["title"] == "Triage v2"
    complete(client, intake, old, TRIAGE_ACCEPT)
    counts = {p["version"]: p["running_cases"] for p in client.get("/api/v1/processes", headers=owner).json["items"]}
    assert counts == {1: 1, 2: 1}


def test_a_dry_run_lints_without_deploying(client, staff):
    owner = staff.headers("owner1")
    response = _upload(client, owner, COMPLAINT_XML, dry_run=True)
    assert response.status_code == 200 and response.json["problems"] == [] and response.json["version"] is None
    assert client.get("/api/v1/processes", headers=owner).json["items"] == []


def test_a_rejected_upload_is_422_with_each_problem_and_deploys_nothing(client, staff):
    owner = staff.headers("owner1")
    bad = COMPLAINT_XML.replace(b"triage_decision == 'reject'", b"${execution.getVariable('triage_decision') == 'reject'}").replace(
        b'name="Leadership"', b'name="Nobody"').replace(b'value="complaint_feedback"', b'value="ghost_form"')
    response = _upload(client, owner, bad)
    assert response.status_code == 422
    problems = {(p["element"], p["message"].split(" ")[0]) for p in response.json["error"]["details"]["problems"]}
    assert ("gw_triage", "condition") in problems
    assert ("lane_Leadership", "lane") in problems  # at the lane itself, which the workbench marks
    assert ("feedback", "no") in problems  # no form 'ghost_form' exists
    assert client.get("/api/v1/processes", headers=owner).json["items"] == []


def test_uploads_that_are_not_bpmn_are_refused(client, staff):
    owner = staff.headers("owner1")
    assert _upload(client, owner, b"").status_code == 400
    assert _upload(client, owner, b"not xml at all").status_code == 422
    assert client.post("/api/v1/processes", headers=owner).status_code == 400
    assert _upload(client, owner, COMPLAINT_XML, dry_run=False).status_code == 201
    assert client.post("/api/v1/processes?dry_run=maybe", headers=owner).status_code == 422


def test_intake_without_a_deployed_process_is_a_clear_404(client, staff, complaint):
    response = client.post("/api/v1/cases", json=complaint, headers=staff.headers("intake1"))
    assert response.status_code == 404 and "complaint" in response.json["error"]["message"]


def test_the_openapi_document_lists_the_contract(client):
    doc = client.get("/api/v1/openapi.json").json
    assert doc["openapi"].startswith("3.")
    for path in ("/cases", "/cases/{number}/timeline", "/tasks/{id}/complete", "/processes", "/public/cases/{number}/rating"):
        assert path in doc["paths"]
    assert "CaseIn" in doc["components"]["schemas"]


def test_a_timer_that_would_freeze_the_server_is_refused_at_upload_within_a_second(client, staff):
    import time

    from tests.processes import bpmn, flow

    frozen_server = bpmn(
        '<bpmn:startEvent id="start"/>' + flow("f1", "start", "triage") + '<bpmn:userTask id="triage"/>'
        + flow("f2", "triage", "end") + '<bpmn:endEvent id="end"/>'
        + '<bpmn:boundaryEvent id="never" attachedToRef="triage" cancelActivity="false"><bpmn:timerEventDefinition>'
        "<bpmn:timeDate>working_days(sum(range(10**12)))</bpmn:timeDate></bpmn:timerEventDefinition></bpmn:boundaryEvent>"
        + flow("f3", "never", "never_end") + '<bpmn:endEvent id="never_end"/>',
        {"Intake": ["triage"]})
    owner = staff.headers("owner1")
    for dry_run in (True, False):
        started = time.monotonic()
        response = _upload(client, owner, frozen_server, dry_run=dry_run)
        assert time.monotonic() - started < 1.0
        assert response.status_code == 422
        assert response.json["error"]["details"]["problems"][0]["element"] == "never"
    assert client.get("/api/v1/processes", headers=owner).json["total"] == 0
