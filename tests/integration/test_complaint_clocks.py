"""The complaint's statutory clocks: acceptance in 15 days from receipt, a warning before, a
supervision notice at the breach, an escalation to leadership when still open 3 working days later."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from app import clock
from app.cases.intake import register_case
from app.cases.timers import fire_due_timers
from app.extensions import db
from app.models import Case, Notification, Task
from tests.conftest import COMPLAINT

SHANGHAI_END_OF = lambda y, m, d: datetime(y, m, d, 15, 59, 59, tzinfo=UTC)  # noqa: E731 - 23:59:59 +08:00


def _tasks():
    db.session.expire_all()
    return {t.name: t for t in db.session.scalars(select(Task))}


def test_an_untouched_complaint_gets_its_warning_notice_and_escalation_at_the_right_times(app, staff, deployed, frozen):
    number = register_case({**COMPLAINT, "petitioner": dict(COMPLAINT["petitioner"])}, "intake1").number
    # Received Monday 2026-03-02 09:00 local: 15 days end Tuesday 03-17 (a working day) at 24:00 local.
    acceptance_due = SHANGHAI_END_OF(2026, 3, 17)
    assert _tasks()["triage"].due_at == acceptance_due
    assert db.session.scalar(select(Case.due_at).where(Case.number == number)) == acceptance_due

    warn_at = frozen + (acceptance_due - frozen) * 0.8
    clock.freeze(warn_at - timedelta(minutes=1))
    assert fire_due_timers() == 0
    clock.freeze(warn_at + timedelta(seconds=1))
    assert fire_due_timers() == 1
    assert _tasks()["triage"].sla_state == "at_risk"

    clock.freeze(acceptance_due + timedelta(seconds=1))
    fire_due_timers()
    tasks = _tasks()
    assert tasks["triage"].sla_state == "overdue"
    assert tasks["triage_notice"].group == "supervisor" and tasks["triage_notice"].state == "ready"
    assert "triage_escalation" not in tasks

    # Escalation: 3 working days after the breach -> Friday 03-20, end of day.
    clock.freeze(SHANGHAI_END_OF(2026, 3, 20) - timedelta(seconds=1))
    fire_due_timers()
    assert "triage_escalation" not in _tasks()
    clock.freeze(SHANGHAI_END_OF(2026, 3, 20) + timedelta(seconds=1))
    fire_due_timers()
    escalation = _tasks()["triage_escalation"]
    assert escalation.group == "leader" and escalation.form == "escalation"
    kinds = sorted(n.kind for n in db.session.scalars(select(Notification)))
    assert kinds == ["breach", "escalation", "notice", "warning"]


def test_a_task_done_in_time_cancels_its_clocks(client, app, staff, deployed, frozen):
    number = register_case({**COMPLAINT, "petitioner": dict(COMPLAINT["petitioner"])}, "intake1").number
    triage = _tasks()["triage"]
    response = client.post(f"/api/v1/tasks/{triage.id}/complete", json={"triage_decision": "accept", "department": "ENV"},
                           headers=staff.headers("intake1"))
    assert response.status_code == 200
    investigate = _tasks()["investigate"]
    # 10 working days from Monday 03-02 -> Monday 03-16; the case now has 60 days from acceptance.
    assert investigate.due_at == SHANGHAI_END_OF(2026, 3, 16)
    assert db.session.scalar(select(Case.due_at).where(Case.number == number)) == SHANGHAI_END_OF(2026, 5, 6)
    clock.freeze(datetime(2026, 3, 14, tzinfo=UTC))  # past 80% of the 10 working days
    fire_due_timers()
    assert "triage_notice" not in _tasks() and _tasks()["investigate"].sla_state == "at_risk"
