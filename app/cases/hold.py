"""Holding a case (waiting for the petitioner): no clock runs; on resume every pending deadline
moves by the paused time in its own units (working-day deadlines by the working days paused)."""

from __future__ import annotations

from sqlalchemy import select

from app import engine
from app.calendar import working_days_after, working_days_between
from app.extensions import db
from app.models import FINAL_STATUSES, Case, ProcessInstance, utcnow

from . import errors
from .calendar import work_calendar, zone
from .people import Principal
from .workflow import instance_operation, run_engine, write_ledger

HOLDERS = ("intake", "handler", "head", "supervisor", "admin")


def hold_case(user: Principal, number: str, reason: str) -> Case:
    case = _case_for(user, number)
    if case.held_since is not None:
        raise errors.ConflictError("the case is on hold already")
    if not reason or not reason.strip():
        raise errors.ValidationFailedError("a reason is required", {"reason": ["must not be blank"]})
    case.held_since, case.hold_reason = utcnow(), reason.strip()
    write_ledger(case.id, user.username, [{"action": "case.held", "details": {"reason": case.hold_reason}}])
    db.session.commit()
    return case


def resume_case(user: Principal, number: str) -> Case:
    case = _case_for(user, number)
    if case.held_since is None:
        raise errors.ConflictError("the case is not on hold")
    instance_id = db.session.scalar(
        select(ProcessInstance.id).where(ProcessInstance.case_id == case.id, ProcessInstance.completed.is_(False))
    )
    now, since = utcnow(), case.held_since
    paused, paused_working = now - since, working_days_between(since, now, zone(), work_calendar())
    details = {"paused_seconds": int(paused.total_seconds()), "paused_working_days": paused_working}
    if instance_id is None:
        case.held_since = case.hold_reason = None
        write_ledger(case.id, user.username, [{"action": "case.resumed", "details": details}])
        db.session.commit()
        return case
    with instance_operation(instance_id, user.username) as op:
        op.shifting = True
        moved = run_engine(op, lambda: _shift_timers(op.workflow, paused, paused_working))
        op.case.changes.update(held_since=None, hold_reason=None)
        op.record("case.resumed", **details, moved=moved)
    db.session.refresh(case)
    return case


def _shift_timers(workflow, paused, paused_working) -> dict[str, str]:
    moved = {}
    for timer in engine.pending_timers(workflow):
        if "working_days(" in engine.timer_expression(workflow, timer.task_id):
            due = working_days_after(timer.due_at, paused_working, zone(), work_calendar()).at if paused_working else timer.due_at
        else:
            due = timer.due_at + paused
        engine.move_timer(workflow, timer.task_id, due)
        moved[timer.name] = due.isoformat()
    return moved


def _case_for(user: Principal, number: str) -> Case:
    case = db.session.scalar(select(Case).where(Case.number == str(number)[:32]))
    if case is None:
        raise errors.NotFoundError(f"no case {number}")
    if not user.has_role(*HOLDERS):
        raise errors.ForbiddenError("you may not hold or resume cases")
    if not user.has_role("intake", "supervisor", "admin") and case.department_id != user.department_id:
        raise errors.ForbiddenError("this case belongs to another department")
    if case.status in FINAL_STATUSES:
        raise errors.ConflictError(f"the case is {case.status}")
    return case
