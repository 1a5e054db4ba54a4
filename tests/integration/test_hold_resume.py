"""On hold no clock runs; on resume every pending moment -- SLA moments, BPMN timers and the case
deadline -- moves by the paused time in its own stored unit: working days, calendar days (never onto a rest
day) or elapsed time."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from app import clock
from app.cases.clocks.timers import fire_due_timers
from app.cases.intake.appeal import parse_appeal
from app.cases.intake.registration import register_case
from app.cases.procedures.processes import deploy_bpmn
from app.extensions import db
from app.models import Case, LedgerEntry, ProcessInstance, Task, Timer
from tests.helpers import COMPLAINT
from tests.processes import clocked_with_bpmn_timer


def _end_of_day(y, m, d):
    return datetime(y, m, d, 15, 59, 59, tzinfo=UTC)  # 23:59:59 in Shanghai


def _timers():
    db.session.expire_all()
    return {t.kind if t.kind != "bpmn" else t.name: (t.due_at, t.unit) for t in db.session.scalars(select(Timer))}


def _start():
    deploy_bpmn(clocked_with_bpmn_timer(), "complaint.bpmn", "test")
    return register_case(parse_appeal(COMPLAINT), "intake1").number


def _version(number):
    db.session.expire_all()
    return db.session.scalar(select(ProcessInstance.lock_version).join(Case).where(Case.number == number))


def test_resume_moves_working_days_by_working_days_calendar_days_by_dates_off_rest_days_and_durations_by_time(
        client, staff, frozen):
    number = _start()  # Monday 2026-03-02 09:00 local
    before = _timers()
    assert before["breach"] == (_end_of_day(2026, 3, 4), "working")
    assert before["reminder"] == (frozen + timedelta(days=2), "calendar")
    h = staff.headers("intake1")
    clock.advance(timedelta(hours=12))  # Monday 21:00
    version = _version(number)
    assert client.post(f"/api/v1/cases/{number}/hold", json={"reason": "等待诉求人补充材料"}, headers=h).json["on_hold"] is True
    assert _version(number) == version + 1  # hold goes through the instance's version check
    clock.advance(timedelta(days=4))  # Friday 21:00: past the warning, the breach and the reminder
    assert fire_due_timers() == 0
    resumed = client.post(f"/api/v1/cases/{number}/resume", headers=h)
    assert resumed.status_code == 200 and resumed.json["on_hold"] is False
    after = _timers()
    # Tue, Wed, Thu, Fri were paused: 4 working days; 4 days elapsed.
    assert after["breach"] == (_end_of_day(2026, 3, 10), "working")  # Wednesday + 4 working days = next Tuesday
    assert after["escalation"] == (_end_of_day(2026, 3, 13), "working")  # Monday 03-09 + 4 working days
    warning_before, warning_after = before["warning"][0], after["warning"][0]
    assert warning_after.astimezone(UTC).time() == warning_before.astimezone(UTC).time()  # same time of day
    assert after["reminder"] == (before["reminder"][0] + timedelta(days=4), "calendar")  # a duration: 4 days elapsed
    case = db.session.scalar(select(Case).where(Case.number == number))
    # calendar_days(15): Tuesday 03-17; four dates paused make it Saturday 03-21, a rest day, so Monday 03-23
    assert (case.due_at, case.due_unit) == (_end_of_day(2026, 3, 23), "days")
    triage = db.session.scalar(select(Task).where(Task.name == "triage"))
    assert triage.due_at == after["breach"][0] and triage.sla_state is None
    actions = [e.action for e in db.session.scalars(select(LedgerEntry).order_by(LedgerEntry.id))]
    assert "case.held" in actions and "case.resumed" in actions and not any(a.startswith(("sla.", "timer.")) for a in actions)


def test_hold_and_resume_are_refused_when_they_make_no_sense(client, staff, frozen):
    number = _start()
    h = staff.headers("intake1")
    assert client.post(f"/api/v1/cases/{number}/resume", headers=h).status_code == 409
    assert client.post(f"/api/v1/cases/{number}/hold", json={"reason": ""}, headers=h).status_code == 422
    assert client.post(f"/api/v1/cases/{number}/hold", json={"reason": "r"}, headers=staff.headers("housing1")).status_code == 403
    assert client.post(f"/api/v1/cases/{number}/hold", json={"reason": "r"}, headers=h).status_code == 200
    assert client.post(f"/api/v1/cases/{number}/hold", json={"reason": "r"}, headers=h).status_code == 409
    assert client.post("/api/v1/cases/nope/hold", json={"reason": "r"}, headers=h).status_code == 404
