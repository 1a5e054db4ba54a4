"""SLA notifications reach the right people once, over the API."""

from datetime import timedelta

from app import clock
from app.cases.clocks.timers import fire_due_timers
from app.cases.procedures.processes import deploy_bpmn
from tests.helpers import register
from tests.processes import one_clocked_task


def _kinds(client, headers, unread=False):
    items = client.get("/api/v1/notifications" + ("?unread=true" if unread else ""), headers=headers).json["items"]
    return sorted(n["kind"] for n in items), items


def test_warnings_and_breaches_go_to_the_task_group_and_escalations_to_leadership(client, staff, complaint, frozen):
    deploy_bpmn(one_clocked_task("working_days(2)"), "complaint.bpmn", "test")
    register(client, staff.headers("intake1"), complaint)
    clock.advance(timedelta(days=3))
    fire_due_timers()
    assert _kinds(client, staff.headers("intake1"))[0] == ["breach", "warning"]
    overdue = client.get("/api/v1/tasks?overdue=true&sort=due_at", headers=staff.headers("intake1")).json["items"]
    assert [(t["name"], t["sla_state"]) for t in overdue] == [("triage", "overdue")]
    assert _kinds(client, staff.headers("leader1"))[0] == []
    assert _kinds(client, staff.headers("handler1"))[0] == []
    clock.advance(timedelta(days=7))
    fire_due_timers()
    kinds, items = _kinds(client, staff.headers("leader1"))
    assert kinds == ["escalation"]
    read = client.post(f"/api/v1/notifications/{items[0]['id']}/read", headers=staff.headers("leader1"))
    assert read.status_code == 200 and read.json["read_at"]
    assert _kinds(client, staff.headers("leader1"), unread=True)[0] == []
    assert client.post(f"/api/v1/notifications/{items[0]['id']}/read", headers=staff.headers("handler1")).status_code == 404


def test_the_assignee_of_a_claimed_task_is_notified_too(client, staff, complaint, frozen):
    deploy_bpmn(one_clocked_task("working_days(2)"), "complaint.bpmn", "test")
    number = register(client, staff.headers("intake1"), complaint)["number"]
    staff.add("intake2", "intake")
    task = client.get(f"/api/v1/cases/{number}", headers=staff.headers("intake1")).json["open_tasks"][0]
    assert client.post(f"/api/v1/tasks/{task['id']}/claim", headers=staff.headers("intake2")).status_code == 200
    clock.advance(timedelta(days=2, hours=12))  # Wednesday 21:00: past the warning, not the breach
    fire_due_timers()
    _, items = _kinds(client, staff.headers("intake2"))
    assert [n["kind"] for n in items] == ["warning"]
