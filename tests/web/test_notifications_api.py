"""SLA notifications reach the right people once, over the API; a cycle's catch-up notifies once."""

from datetime import timedelta

from app import clock
from app.cases.processes import deploy_bpmn
from app.cases.timers import fire_due_timers
from tests.helpers import register
from tests.integration.test_timers_sweep import SLA_PROCESS


def _kinds(client, headers, unread=False):
    items = client.get("/api/v1/notifications" + ("?unread=true" if unread else ""), headers=headers).json["items"]
    return sorted(n["kind"] for n in items), items


def test_warnings_and_breaches_go_to_the_task_group_and_notices_to_supervisors(client, staff, complaint, frozen):
    deploy_bpmn(SLA_PROCESS.encode(), "complaint.bpmn", "test")
    register(client, staff.headers("intake1"), complaint)
    clock.advance(timedelta(days=3))
    fire_due_timers()
    assert _kinds(client, staff.headers("intake1"))[0] == ["breach", "warning"]
    overdue = client.get("/api/v1/tasks?overdue=true&sort=due_at", headers=staff.headers("intake1")).json["items"]
    assert [(t["name"], t["sla_state"]) for t in overdue] == [("triage", "overdue")]
    kinds, items = _kinds(client, staff.headers("super1"))
    assert kinds == ["notice"]
    assert _kinds(client, staff.headers("handler1"))[0] == []
    read = client.post(f"/api/v1/notifications/{items[0]['id']}/read", headers=staff.headers("super1"))
    assert read.status_code == 200 and read.json["read_at"]
    assert _kinds(client, staff.headers("super1"), unread=True)[0] == []
    assert client.post(f"/api/v1/notifications/{items[0]['id']}/read", headers=staff.headers("handler1")).status_code == 404


def test_a_cycle_timer_catching_up_after_downtime_notifies_once(client, staff, complaint, frozen):
    cycle = SLA_PROCESS.replace("<bpmn:timeDuration>P1D</bpmn:timeDuration>", "<bpmn:timeCycle>R5/PT1H</bpmn:timeCycle>")
    deploy_bpmn(cycle.encode(), "complaint.bpmn", "test")
    register(client, staff.headers("intake1"), complaint)
    clock.advance(timedelta(hours=4, minutes=30))  # four cycles missed while nothing ran
    fire_due_timers()
    assert _kinds(client, staff.headers("intake1"))[0] == ["warning"]
    clock.advance(timedelta(hours=1))
    fire_due_timers()
    assert _kinds(client, staff.headers("intake1"))[0] == ["warning", "warning"]
