"""On hold no clock runs; on resume each deadline moves by the paused time in its own units."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from app import clock
from app.cases.intake import register_case
from app.cases.processes import deploy_bpmn
from app.cases.timers import fire_due_timers
from app.extensions import db
from app.models import LedgerEntry, Task, Timer
from tests.conftest import COMPLAINT
from tests.integration.test_timers_sweep import SLA_PROCESS

MONDAY = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai


def _timers():
    db.session.expire_all()
    return {t.name: t.due_at for t in db.session.scalars(select(Timer))}


def _start(client, staff, process_xml):
    deploy_bpmn(process_xml.encode(), "complaint.bpmn", "test")
    return register_case({**COMPLAINT, "petitioner": dict(COMPLAINT["petitioner"])}, "intake1").number


def test_elapsed_time_deadlines_move_by_the_paused_time_and_nothing_fires_on_hold(client, staff, frozen):
    number = _start(client, staff, SLA_PROCESS)
    before = _timers()
    clock.advance(timedelta(hours=12))
    held = client.post(f"/api/v1/cases/{number}/hold", json={"reason": "等待诉求人补充材料"}, headers=staff.headers("intake1"))
    assert held.status_code == 200 and held.json["on_hold"] is True
    clock.advance(timedelta(days=3))
    assert fire_due_timers() == 0
    resumed = client.post(f"/api/v1/cases/{number}/resume", headers=staff.headers("intake1"))
    assert resumed.status_code == 200 and resumed.json["on_hold"] is False
    after = _timers()
    assert {name: after[name] - before[name] for name in before} == {"warn": timedelta(days=3), "breach": timedelta(days=3)}
    triage = db.session.scalar(select(Task).where(Task.name == "triage"))
    assert triage.due_at == after["breach"] and triage.sla_state is None
    actions = [e.action for e in db.session.scalars(select(LedgerEntry).order_by(LedgerEntry.id))]
    assert "case.held" in actions and "case.resumed" in actions and "timer.fired" not in actions


def test_working_day_deadlines_move_by_the_working_days_paused(client, staff):
    clock.freeze(MONDAY)
    try:
        xml = SLA_PROCESS.replace(
            "<bpmn:timeDuration>P2D</bpmn:timeDuration>",
            "<bpmn:timeDate>working_days(2, received_at)</bpmn:timeDate>")
        number = _start(client, staff, xml)
        assert _timers()["breach"] == datetime(2026, 3, 4, 23, 59, 59, tzinfo=UTC) - timedelta(hours=8)  # Wed 24:00 local
        client.post(f"/api/v1/cases/{number}/hold", json={"reason": "r"}, headers=staff.headers("intake1"))
        clock.advance(timedelta(days=4))  # resumed Friday: Tue, Wed, Thu, Fri paused = 4 working days
        client.post(f"/api/v1/cases/{number}/resume", headers=staff.headers("intake1"))
        # Wednesday + 4 working days = next Tuesday, end of day local.
        assert _timers()["breach"] == datetime(2026, 3, 10, 15, 59, 59, tzinfo=UTC)
    finally:
        clock.reset()


def test_hold_and_resume_are_refused_when_they_make_no_sense(client, staff, frozen):
    number = _start(client, staff, SLA_PROCESS)
    h = staff.headers("intake1")
    assert client.post(f"/api/v1/cases/{number}/resume", headers=h).status_code == 409
    assert client.post(f"/api/v1/cases/{number}/hold", json={"reason": ""}, headers=h).status_code == 422
    assert client.post(f"/api/v1/cases/{number}/hold", json={"reason": "r"}, headers=staff.headers("housing1")).status_code == 403
    assert client.post(f"/api/v1/cases/{number}/hold", json={"reason": "r"}, headers=h).status_code == 200
    assert client.post(f"/api/v1/cases/{number}/hold", json={"reason": "r"}, headers=h).status_code == 409
    assert client.post("/api/v1/cases/nope/hold", json={"reason": "r"}, headers=h).status_code == 404
