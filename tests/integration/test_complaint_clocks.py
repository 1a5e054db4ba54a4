"""The complaint's statutory clocks, from the `due` policy of its tasks: acceptance in 15 days from
receipt, a warning before, a supervision notice at the breach, an escalation to leadership when
still open 3 working days later."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from app import clock
from app.cases.clocks.timers import fire_due_timers
from app.cases.intake.appeal import parse_appeal
from app.cases.intake.registration import register_case
from app.extensions import db
from app.models import Case, Notice, Notification, Task
from tests.helpers import COMPLAINT, TRIAGE_ACCEPT, register

SHANGHAI_END_OF = lambda y, m, d: datetime(y, m, d, 15, 59, 59, tzinfo=UTC)  # noqa: E731 - 23:59:59 +08:00


def _tasks():
    db.session.expire_all()
    return {t.name: t for t in db.session.scalars(select(Task))}


def _case_due(number):
    db.session.expire_all()
    return db.session.scalar(select(Case.due_at).where(Case.number == number))


def test_an_untouched_complaint_gets_its_warning_notice_and_escalation_at_the_right_times(app, staff, deployed, frozen):
    number = register_case(parse_appeal(COMPLAINT), "intake1").number
    # Received Monday 2026-03-02 09:00 local: 15 days end Tuesday 03-17 (a working day) at 24:00 local.
    acceptance_due = SHANGHAI_END_OF(2026, 3, 17)
    assert _tasks()["triage"].due_at == acceptance_due and _case_due(number) == acceptance_due

    warn_at = frozen + (acceptance_due - frozen) * 0.8
    clock.freeze(warn_at - timedelta(minutes=1))
    assert fire_due_timers() == 0
    clock.freeze(warn_at + timedelta(seconds=1))
    assert fire_due_timers() == 1
    assert _tasks()["triage"].sla_state == "at_risk"

    clock.freeze(acceptance_due + timedelta(seconds=1))
    fire_due_timers()
    assert _tasks()["triage"].sla_state == "overdue"
    [notice] = db.session.scalars(select(Notice)).all()
    assert (notice.kind, notice.addressee_group, notice.reply_by) == ("breach", "intake", SHANGHAI_END_OF(2026, 3, 20))

    # Escalation: 3 working days after the breach -> Friday 03-20, end of day.
    clock.freeze(SHANGHAI_END_OF(2026, 3, 20) - timedelta(seconds=1))
    fire_due_timers()
    assert db.session.query(Notice).count() == 1
    clock.freeze(SHANGHAI_END_OF(2026, 3, 20) + timedelta(seconds=1))
    fire_due_timers()
    assert [(n.kind, n.addressee_group) for n in db.session.scalars(select(Notice).order_by(Notice.id))] == [
        ("breach", "intake"), ("escalation", "leader")]
    assert sorted(n.kind for n in db.session.scalars(select(Notification))) == ["breach", "escalation", "warning"]
    assert set(_tasks()) == {"triage"}  # notices are records, not tasks


def test_a_task_done_in_time_cancels_its_clocks_and_the_next_task_gets_its_own(client, app, staff, deployed, frozen):
    number = register_case(parse_appeal(COMPLAINT), "intake1").number
    response = client.post(f"/api/v1/tasks/{_tasks()['triage'].id}/complete", json=TRIAGE_ACCEPT, headers=staff.headers("intake1"))
    assert response.status_code == 200
    investigate = _tasks()["investigate"]
    # 10 working days from Monday 03-02 -> Monday 03-16; the case now has 60 days from acceptance.
    assert investigate.due_at == SHANGHAI_END_OF(2026, 3, 16) and investigate.group == "handler@ENV"
    assert _case_due(number) == SHANGHAI_END_OF(2026, 5, 6)
    clock.freeze(datetime(2026, 3, 14, tzinfo=UTC))  # past 80% of the 10 working days
    fire_due_timers()
    assert _tasks()["investigate"].sla_state == "at_risk"
    assert db.session.query(Notice).count() == 0 and _tasks()["triage"].sla_state is None


def test_a_letter_registered_days_later_has_its_clocks_counted_from_receipt(client, staff, deployed, complaint, frozen):
    received = frozen - timedelta(days=20)  # the letter arrived 20 days ago: acceptance is overdue already
    case = register(client, staff.headers("intake1"), dict(complaint, channel="letter", received_at=received.isoformat()))
    h = staff.headers("intake1")
    [task] = client.get("/api/v1/tasks?overdue=true", headers=h).json["items"]
    assert task["case_number"] == case["number"] and task["due_at"] == case["due_at"]
    assert datetime.fromisoformat(task["due_at"]) == SHANGHAI_END_OF(2026, 2, 25)  # 15 days after 02-10
    assert client.get("/api/v1/cases?overdue=true", headers=h).json["total"] == 1
    fire_due_timers()
    assert _tasks()["triage"].sla_state == "overdue"
