"""A case not yet answered can be withdrawn: its process ends with every task and clock; after the
answer it is a 409 saying why."""

from sqlalchemy import select

from app.extensions import db
from app.models import Task, Timer
from tests.helpers import TRIAGE_ACCEPT, complete, drive_to_answer, register
from tests.helpers import api_error as _error


def test_staff_withdraw_a_case_in_handling_and_every_task_and_clock_ends(client, staff, deployed, complaint):
    h = staff.headers("intake1")
    number = register(client, h, complaint)["number"]
    complete(client, h, number, TRIAGE_ACCEPT)
    withdrawn = client.post(f"/api/v1/cases/{number}/withdraw", json={"reason": "诉求人已自行解决"}, headers=h)
    assert withdrawn.status_code == 200 and withdrawn.json["status"] == "withdrawn" and withdrawn.json["closed_at"]
    db.session.expire_all()
    assert [t.state for t in db.session.scalars(select(Task).where(Task.name == "investigate"))] == ["cancelled"]
    assert db.session.scalar(select(Timer)) is None
    assert client.get("/api/v1/tasks", headers=staff.headers("handler1")).json["total"] == 0
    timeline = client.get(f"/api/v1/cases/{number}/timeline", headers=h).json["items"]
    entry = next(e for e in timeline if e["action"] == "case.withdrawn")
    assert entry["details"] == {"reason": "诉求人已自行解决", "by": "intake1"} and entry["actor"] == "intake1"
    _error(client.post(f"/api/v1/cases/{number}/withdraw", json={"reason": "again"}, headers=h), 409)


def test_an_answered_case_can_no_longer_be_withdrawn(client, staff, deployed, complaint):
    h = staff.headers("intake1")
    number = register(client, h, complaint)["number"]
    drive_to_answer(client, staff, number)
    error = _error(client.post(f"/api/v1/cases/{number}/withdraw", json={"reason": "r"}, headers=h), 409)
    assert "answered" in error["message"]


def test_withdrawal_needs_a_reason_and_the_right_role(client, staff, deployed, complaint):
    h = staff.headers("intake1")
    number = register(client, h, complaint)["number"]
    _error(client.post(f"/api/v1/cases/{number}/withdraw", json={"reason": " "}, headers=h), 422)
    _error(client.post(f"/api/v1/cases/{number}/withdraw", json={"reason": "r"}, headers=staff.headers("handler1")), 403)
    _error(client.post("/api/v1/cases/nope/withdraw", json={"reason": "r"}, headers=h), 404)
    assert client.get(f"/api/v1/cases/{number}", headers=h).json["status"] == "registered"


def test_a_process_that_waits_for_withdraw_handles_it_itself(client, staff, complaint):
    from app.cases.procedures.processes import deploy_bpmn
    from tests.processes import catches_withdraw

    deploy_bpmn(catches_withdraw(), "complaint.bpmn", "test")
    h = staff.headers("intake1")
    number = register(client, h, complaint)["number"]
    withdrawn = client.post(f"/api/v1/cases/{number}/withdraw", json={"reason": "不再需要"}, headers=h)
    assert withdrawn.status_code == 200 and withdrawn.json["status"] == "withdrawn"
    detail = client.get(f"/api/v1/cases/{number}", headers=h).json
    assert detail["answer"] == "不再需要" and detail["process"]["completed"] is True
    actions = [e["action"] for e in client.get(f"/api/v1/cases/{number}/timeline", headers=h).json["items"]]
    assert "case.withdrawal_requested" in actions and "case.withdrawn" not in actions


def test_the_petitioner_withdraws_with_the_access_code_and_a_wrong_code_changes_nothing(client, staff, deployed, complaint):
    case = register(client, staff.headers("intake1"), complaint)
    url = f"/api/v1/public/cases/{case['number']}/withdraw"
    _error(client.post(url, json={"access_code": "WRONG123", "reason": "r"}), 404)
    assert client.get(f"/api/v1/public/cases/{case['number']}?access_code={case['access_code']}").json["status"] == "registered"
    done = client.post(url, json={"access_code": case["access_code"], "reason": "已解决"})
    assert done.status_code == 200 and done.json["status"] == "withdrawn"
    timeline = client.get(f"/api/v1/cases/{case['number']}/timeline", headers=staff.headers("intake1")).json["items"]
    assert [(e["actor"], e["details"]) for e in timeline if e["action"] == "case.withdrawn"] == [
        ("petitioner", {"reason": "已解决", "by": "petitioner"})]
    assert "withdrawn" in _error(client.post(url, json={"access_code": case["access_code"], "reason": "x"}), 409)["message"]
