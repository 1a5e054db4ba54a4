"""Supervision notices over HTTP: raised at a breach, issued by hand, answered by their addressee,
closed when their task completes."""

from datetime import timedelta

from app import clock
from app.cases.clocks.timers import fire_due_timers
from app.cases.procedures.processes import deploy_bpmn
from tests.helpers import register
from tests.processes import one_clocked_task


def _notices(client, headers, state=None):
    url = "/api/v1/notices" + (f"?state={state}" if state else "")
    response = client.get(url, headers=headers)
    assert response.status_code == 200, response.json
    return response.json


def test_a_breach_raises_a_notice_its_addressee_answers_and_supervisors_follow(client, staff, complaint, frozen):
    deploy_bpmn(one_clocked_task("working_days(2)"), "complaint.bpmn", "test")
    number = register(client, staff.headers("intake1"), complaint)["number"]
    clock.advance(timedelta(days=3))
    fire_due_timers()
    supervisor, intake = staff.headers("super1"), staff.headers("intake1")
    [notice] = _notices(client, supervisor, "open")["items"]
    assert (notice["kind"], notice["case_number"], notice["addressee"], notice["state"]) == ("breach", number, "intake", "open")
    assert _notices(client, intake)["total"] == 1  # addressed to the intake group
    assert _notices(client, staff.headers("handler1"))["total"] == 0  # not to other departments

    forbidden = client.post(f"/api/v1/notices/{notice['id']}/reply", json={"reply": "x"}, headers=staff.headers("handler1"))
    assert forbidden.status_code == 403
    answered = client.post(f"/api/v1/notices/{notice['id']}/reply", json={"reply": "今天办结"}, headers=intake)
    assert answered.status_code == 200 and answered.json["state"] == "answered" and answered.json["replied_by"] == "intake1"
    again = client.post(f"/api/v1/notices/{notice['id']}/reply", json={"reply": "again"}, headers=intake)
    assert again.status_code == 409
    assert _notices(client, supervisor, "answered")["total"] == 1 and _notices(client, supervisor, "open")["total"] == 0
    detail = client.get(f"/api/v1/cases/{number}", headers=supervisor).json
    assert [n["state"] for n in detail["notices"]] == ["answered"]


def test_a_supervisor_issues_a_notice_by_hand_and_it_closes_when_the_task_completes(client, staff, complaint, frozen):
    deploy_bpmn(one_clocked_task("working_days(2)"), "complaint.bpmn", "test")
    number = register(client, staff.headers("intake1"), complaint)["number"]
    supervisor = staff.headers("super1")
    task_id = client.get(f"/api/v1/cases/{number}", headers=supervisor).json["open_tasks"][0]["id"]
    body = {"case_number": number, "task_id": task_id, "message": "请加快办理", "reply_by": "2026-03-03T18:00:00+08:00"}
    created = client.post("/api/v1/notices", json=body, headers=supervisor)
    assert created.status_code == 201, created.json
    assert (created.json["kind"], created.json["addressee"], created.json["created_by"]) == ("manual", "intake", "super1")
    assert client.post("/api/v1/notices", json=body, headers=staff.headers("intake1")).status_code == 403
    assert client.post("/api/v1/notices", json={**body, "reply_by": "2020-01-01T00:00:00+08:00"}, headers=supervisor).status_code == 422
    assert client.post("/api/v1/notices", json={**body, "case_number": "nope"}, headers=supervisor).status_code == 404
    assert client.post("/api/v1/notices", json={**body, "task_id": "x" * 36}, headers=supervisor).status_code == 422

    clock.advance(timedelta(days=1, hours=12))  # past reply_by
    assert [n["state"] for n in _notices(client, supervisor, "overdue")["items"]] == ["overdue"]
    done = client.post(f"/api/v1/tasks/{task_id}/complete", json={}, headers=staff.headers("intake1"))
    assert done.status_code == 200
    assert _notices(client, supervisor, "closed")["total"] == 1 and _notices(client, supervisor, "open")["total"] == 0
    assert client.get("/api/v1/notices?state=bogus", headers=supervisor).status_code == 422
