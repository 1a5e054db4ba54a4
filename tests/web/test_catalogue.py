"""The catalogue binds each category to the process its cases start."""

import io

from tests.helpers import COMPLAINT
from tests.unit.bpmn_factory import linear

CONSULTATION_XML = linear('<bpmn:userTask id="t" name="Answer the question"/>', lanes={"Intake": ["start", "t", "end"]}).replace(
    b'<bpmn:process id="p"', b'<bpmn:process id="consultation"')


def _deploy(client, headers, xml, name):
    # another diagram under a shipped process's id: confirmed as a new version of it
    response = client.post("/api/v1/processes?new_version=true", data={"file": (io.BytesIO(xml), name)}, headers=headers,
                           content_type="multipart/form-data")
    assert response.status_code in (200, 201), response.json
    return response.json


def test_every_category_starts_the_complaint_until_rebound(client, staff):
    listed = client.get("/api/v1/catalogue", headers=staff.headers("owner1"))
    assert listed.status_code == 200
    assert {e["category"]: e["process"] for e in listed.json["items"]} == {
        c: "complaint" for c in ("consultation", "complaint", "suggestion", "help", "dispute", "incident", "other")}


def test_a_category_bound_to_another_process_starts_it_and_complaints_still_start_the_complaint(
        client, staff, deployed, complaint):
    owner, intake = staff.headers("owner1"), staff.headers("intake1")
    assert _deploy(client, owner, CONSULTATION_XML, "consultation.bpmn")["key"] == "consultation"
    bound = client.put("/api/v1/catalogue/consultation", json={"process": "consultation"}, headers=owner)
    assert bound.status_code == 200 and bound.json == {"category": "consultation", "process": "consultation"}
    question = client.post("/api/v1/cases", json=dict(complaint, category="consultation"), headers=intake).json["number"]
    case = client.get(f"/api/v1/cases/{question}", headers=intake).json
    assert case["process"]["key"] == "consultation" and case["open_tasks"][0]["title"] == "Answer the question"
    grievance = client.post("/api/v1/cases", json=complaint, headers=intake).json["number"]
    assert client.get(f"/api/v1/cases/{grievance}", headers=intake).json["process"]["key"] == "complaint"


def test_binding_to_a_process_that_is_not_deployed_is_422_naming_process(client, staff, deployed):
    owner = staff.headers("owner1")
    response = client.put("/api/v1/catalogue/help", json={"process": "never_deployed"}, headers=owner)
    assert response.status_code == 422 and "process" in response.json["error"]["details"]
    assert {e["category"]: e["process"] for e in client.get("/api/v1/catalogue", headers=owner).json["items"]}["help"] == "help"


def test_a_draft_only_process_cannot_be_bound(client, staff):
    owner = staff.headers("owner1")
    client.post("/api/v1/processes?draft=true", data={"file": (io.BytesIO(CONSULTATION_XML), "consultation.bpmn")},
                headers=owner, content_type="multipart/form-data")
    response = client.put("/api/v1/catalogue/help", json={"process": "consultation"}, headers=owner)
    assert response.status_code == 422 and "process" in response.json["error"]["details"]


def test_bad_catalogue_requests_are_refused_without_a_500(client, staff, deployed):
    owner = staff.headers("owner1")
    assert client.put("/api/v1/catalogue/weather", json={"process": "complaint"}, headers=owner).status_code == 404
    assert client.put("/api/v1/catalogue/help", json={}, headers=owner).status_code == 422
    assert client.put("/api/v1/catalogue/help", json={"process": 5}, headers=owner).status_code == 422
    assert client.put("/api/v1/catalogue/help", json={"process": ""}, headers=owner).status_code == 422
    assert client.put("/api/v1/catalogue/help", json={"process": "complaint", "x": 1}, headers=owner).status_code == 422
    assert client.put("/api/v1/catalogue/help", json=["complaint"], headers=owner).status_code == 400
    assert client.put("/api/v1/catalogue/help", data="{", headers=owner, content_type="application/json").status_code == 400
    assert client.put("/api/v1/catalogue/help", json={"process": "complaint"},
                      headers=staff.headers("intake1")).status_code == 403


def test_a_category_without_a_binding_is_refused_at_intake_naming_category(client, staff, deployed, complaint, app):
    from app.cases import reference
    from app.extensions import db
    from app.models import CatalogueEntry

    db.session.query(CatalogueEntry).filter_by(category="other").delete()
    db.session.commit()
    reference.forget()
    response = client.post("/api/v1/cases", json=dict(complaint, category="other"), headers=staff.headers("intake1"))
    assert response.status_code == 422 and "category" in response.json["error"]["details"]
    entries = {e["category"]: e["process"] for e in client.get("/api/v1/catalogue", headers=staff.headers("owner1")).json["items"]}
    assert entries["other"] is None


def test_the_cli_binds_and_fails_cleanly(runner, app, tmp_path):
    assert runner.invoke(args=["processes", "deploy"]).exit_code == 0
    consultation = tmp_path / "consultation.bpmn"
    consultation.write_bytes(CONSULTATION_XML)
    assert runner.invoke(args=["processes", "deploy", "--new-version", str(consultation)]).exit_code == 0
    bound = runner.invoke(args=["processes", "bind", "consultation", "consultation"])
    assert bound.exit_code == 0 and "consultation cases start consultation" in bound.output
    unknown = runner.invoke(args=["processes", "bind", "weather", "complaint"])
    assert unknown.exit_code == 1 and "no category 'weather'" in unknown.output
    undeployed = runner.invoke(args=["processes", "bind", "help", "ghost"])
    assert undeployed.exit_code == 1 and "ghost" in undeployed.output


def test_a_fresh_installation_runs_each_categorys_own_process_after_deploying_the_shipped_ones(client, runner, staff):
    """No demo data: the reference data binds every category to complaint; deploying binds each to its own."""
    assert {e["process"] for e in client.get("/api/v1/catalogue", headers=staff.headers("owner1")).json["items"]} == {
        "complaint"}
    assert runner.invoke(args=["processes", "deploy"]).exit_code == 0
    bound = {e["category"]: e["process"] for e in client.get("/api/v1/catalogue", headers=staff.headers("owner1")).json["items"]}
    assert bound == {c: c for c in bound}
    consultation = dict(COMPLAINT, category="consultation", title="公积金提取需要哪些材料")
    number = client.post("/api/v1/cases", json=consultation, headers=staff.headers("intake1")).json["number"]
    case = client.get(f"/api/v1/cases/{number}", headers=staff.headers("super1")).json
    assert case["process"]["key"] == "consultation"


def test_a_binding_someone_chose_stays_when_the_processes_are_deployed_again(client, runner, staff):
    assert runner.invoke(args=["processes", "deploy"]).exit_code == 0
    assert runner.invoke(args=["processes", "bind", "suggestion", "complaint"]).exit_code == 0
    assert runner.invoke(args=["processes", "deploy"]).exit_code == 0
    bound = {e["category"]: e["process"] for e in client.get("/api/v1/catalogue", headers=staff.headers("owner1")).json["items"]}
    assert bound["suggestion"] == "complaint" and bound["consultation"] == "consultation"
