"""Holding a case (waiting for the petitioner): no clock runs; on resume every pending moment (BPMN timers,
SLA moments, the case deadline) moves by the paused time in its own unit, stored with it: working-day
moments by the working days paused; calendar-day moments (calendar_days()) by the dates paused, and
then, as calendar_days() does, off a rest day to the next working day; durations (PT4H) by the elapsed
time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from app import engine
from app.calendar import working_days_after, working_days_between
from app.extensions import db
from app.models import FINAL_STATUSES, Case, ProcessInstance, utcnow

from .. import errors, ledger, policy, records
from ..errors import T
from ..policy import Principal
from ..reference import work_calendar, zone
from ..transaction import transaction
from ..uow.sla import shift_sla_rows
from ..uow.workflow import instance_operation, run_engine


def hold_case(user: Principal, number: str, reason: str) -> Case:
    """Stop every clock of the case (waiting for the petitioner, say); guarded by the instance's version."""
    case = _case_for(user, number)
    if case.held_since is not None:
        raise errors.ConflictError(T('the case is on hold already'))
    if not reason or not reason.strip():
        raise errors.ValidationFailedError(T('a reason is required'), {"reason": [T('must not be blank')]})
    changes = {"held_since": utcnow(), "hold_reason": reason.strip()}
    _in_operation(case, user, changes, "case.held", {"reason": changes["hold_reason"]})
    return case


def resume_case(user: Principal, number: str) -> Case:
    """Restart the clocks: every pending moment and the case deadline move by the paused time, each in its own unit."""
    case = _case_for(user, number)
    if case.held_since is None:
        raise errors.ConflictError(T('the case is not on hold'))
    now, since = utcnow(), case.held_since
    details = {"paused_seconds": int((now - since).total_seconds()),
               "paused_working_days": working_days_between(since, now, zone(), work_calendar())}

    def shift(due, unit, paused_from):
        if unit == "working":
            days = working_days_between(paused_from, now, zone(), work_calendar())
            if not days:
                return due
            local = due.astimezone(zone())  # the same time of day, `days` working days later
            day = working_days_after(local, days, zone(), work_calendar()).at.date()
            return datetime.combine(day, local.timetz()).astimezone(UTC)
        if unit == "days":  # the dates paused, and like calendar_days() never on a rest day
            days = (now.astimezone(zone()).date() - paused_from.astimezone(zone()).date()).days
            if not days:
                return due
            local = due.astimezone(zone())
            day = local.date() + timedelta(days=days)
            while not work_calendar().is_working_day(day):
                day += timedelta(days=1)
            return datetime.combine(day, local.timetz()).astimezone(UTC)
        return due + (now - paused_from)  # elapsed time (PT4H, P3D)

    def act(op):
        op.shifting = True
        moved = {}
        for timer in engine.pending_timers(op.workflow):
            due = shift(timer.due_at, timer.unit, since)
            engine.move_timer(op.workflow, timer.task_id, due)
            moved[timer.name] = due.isoformat()
        moved.update(shift_sla_rows(case.id, since, now, shift))
        if op.case.due_at is not None:
            op.case.set("due_at", shift(op.case.due_at, op.case.due_unit, since))
        for promised in ("accept_by", "answer_by"):  # the dates the petitioner was told move with the clocks
            if getattr(op.case, promised) is not None and getattr(op.case, promised) > since:
                op.case.set(promised, shift(getattr(op.case, promised), op.case.due_unit, since))
        details["moved"] = moved

    _in_operation(case, user, {"held_since": None, "hold_reason": None}, "case.resumed", details, act)
    return case


def _in_operation(case: Case, user: Principal, changes: dict, action: str, details: dict, act=None) -> None:
    instance_id = db.session.scalar(
        select(ProcessInstance.id).where(ProcessInstance.case_id == case.id, ProcessInstance.completed.is_(False))
    )
    if instance_id is None:  # no process runs: only the case row changes
        with transaction():
            for name, value in changes.items():
                setattr(case, name, value)
            ledger.record(case.id, user.username, action, **details)
        return
    with instance_operation(instance_id, user.username) as op:
        if act is not None:
            run_engine(op, lambda: act(op))
        op.case.changes.update(changes)
        op.record(action, **details)
    db.session.refresh(case)


def _case_for(user: Principal, number: str) -> Case:
    case = records.case_by_number(str(number))
    policy.require(user, "case.hold", case)
    if case.status in FINAL_STATUSES:
        raise errors.ConflictError(T('the case is %(status)s', status=case.status))
    return case
