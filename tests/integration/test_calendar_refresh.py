"""A deadline in a year without official data is provisional; `minyi calendar refresh` recomputes it:
BPMN timers and the SLA clocks of open tasks alike."""

from datetime import UTC, datetime

from sqlalchemy import select

from app import clock
from app.calendar import workdays
from app.cases.intake.appeal import parse_appeal
from app.cases.intake.registration import register_case
from app.cases.procedures.processes import deploy_bpmn
from app.extensions import db
from app.models import Task, Timer
from tests.helpers import COMPLAINT
from tests.processes import bpmn, flow, one_clocked_task


def _reminder_process() -> bytes:
    return bpmn(
        '<bpmn:startEvent id="start"/>' + flow("f1", "start", "triage") + '<bpmn:userTask id="triage" name="Triage"/>'
        + flow("f2", "triage", "end") + '<bpmn:endEvent id="end"/>'
        + '<bpmn:boundaryEvent id="reminder" attachedToRef="triage" cancelActivity="false"><bpmn:timerEventDefinition>'
        "<bpmn:timeDate>working_days(5, received_at)</bpmn:timeDate></bpmn:timerEventDefinition></bpmn:boundaryEvent>"
        + flow("f3", "reminder", "reminder_end") + '<bpmn:endEvent id="reminder_end"/>',
        {"Intake": ["triage"]},
    )


def _refreshed(runner, monkeypatch, process: bytes, kind: str) -> tuple[Timer, Timer]:
    monkeypatch.setattr(workdays, "LAST_YEAR", 2025)  # as if 2026 were not yet published
    clock.freeze(datetime(2025, 12, 29, 1, 0, tzinfo=UTC))  # Monday 09:00 in Shanghai
    try:
        deploy_bpmn(process, "complaint.bpmn", "test")
        register_case(parse_appeal(COMPLAINT), "intake1")
        before = db.session.scalar(select(Timer).where(Timer.kind == kind))
        db.session.expunge(before)
        monkeypatch.setattr(workdays, "LAST_YEAR", 2026)  # the calendar data is updated
        result = runner.invoke(args=["calendar", "refresh"])
        assert result.exit_code == 0 and "provisional deadline(s) recomputed" in result.output, result.output
    finally:
        clock.reset()
    db.session.expire_all()
    return before, db.session.scalar(select(Timer).where(Timer.kind == kind))


def test_refresh_recomputes_a_provisional_bpmn_timer_once_the_year_is_published(app, staff, runner, monkeypatch):
    before, after = _refreshed(runner, monkeypatch, _reminder_process(), "bpmn")
    # Weekdays only: Dec 30, 31, Jan 1, 2, 5 -- official: Jan 1-2 off, Sunday Jan 4 a make-up day: Dec 30, 31, Jan 4, 5, 6.
    assert before.provisional and before.due_at == datetime(2026, 1, 5, 15, 59, 59, tzinfo=UTC)
    assert not after.provisional and after.due_at == datetime(2026, 1, 6, 15, 59, 59, tzinfo=UTC)


def test_refresh_recomputes_a_provisional_sla_clock_and_its_task_due_time(app, staff, runner, monkeypatch):
    before, after = _refreshed(runner, monkeypatch, one_clocked_task("working_days(5)"), "breach")
    assert before.provisional and before.due_at == datetime(2026, 1, 5, 15, 59, 59, tzinfo=UTC)
    assert not after.provisional and after.due_at == datetime(2026, 1, 6, 15, 59, 59, tzinfo=UTC)
    assert db.session.scalar(select(Task.due_at).where(Task.name == "triage")) == after.due_at
