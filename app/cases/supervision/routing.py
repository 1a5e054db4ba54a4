"""Objections to a routing and re-routing (信访工作条例 Art. 23).

A department that thinks a case was routed to it by mistake may object within 5 working days of
the routing; the objection is a notice to the supervisors, who re-route the case (its open
department tasks move to the new department's queue) or confirm the routing by answering it.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select, update

from app.calendar import working_days_after
from app.extensions import db
from app.models import FINAL_STATUSES, OPEN_STATES, Case, LedgerEntry, Notice, ProcessInstance, Task, utcnow

from .. import errors, ledger, policy, records
from ..errors import T
from ..messages.outbox import tell
from ..notifications import notify
from ..policy import Principal
from ..reference import department_by_id, departments, work_calendar, zone
from ..transaction import transaction
from ..uow.queues import remember_department_queues

OBJECTION_WORKING_DAYS = 5
SUPERVISORS = "supervisor"


def object_to_routing(user: Principal, number: str, reason: str) -> Notice:
    """The handling department objects to having been given the case; a notice to the supervisors."""
    case = _open_case(number)
    policy.require(user, "case.object", case)
    _require_reason(reason)
    routed_at = _routed_at(case)
    if routed_at is None:
        raise errors.ConflictError(T('the case has not been routed to a department'))
    closes = working_days_after(routed_at, OBJECTION_WORKING_DAYS, zone(), work_calendar()).at.astimezone(UTC)
    now = utcnow()
    if now > closes:
        raise errors.ConflictError(
            T('an objection was possible until %(value)s, %(OBJECTION_WORKING_DAYS)s working days after the routing',
              value=closes.isoformat(), OBJECTION_WORKING_DAYS=OBJECTION_WORKING_DAYS))
    with transaction():
        notice = Notice(case_id=case.id, task_id=None, kind="objection", addressee_group=SUPERVISORS, addressee_user=None,
                        message=reason.strip(),
                        reply_by=working_days_after(now, 2, zone(), work_calendar()).at.astimezone(UTC),
                        created_by=user.username, created_at=now)
        db.session.add(notice)
        db.session.flush()
        ledger.record(case.id, user.username, "case.routing_objected", notice=notice.id, department=user.department_code,
                      reason=notice.message)
        notify([{"case_id": case.id, "task_id": None, "recipient_group": SUPERVISORS, "recipient_user": None,
                 "kind": "objection", "message": f"{case.number}: {notice.message}", "dedupe_key": f"objection:{notice.id}",
                 "created_at": now}])
    return notice


def reroute_case(user: Principal, number: str, department_code: str, reason: str) -> Case:
    """A supervisor routes the case to another department: its open department tasks move to that queue; the
    old department's queues keep seeing the case."""
    case = _open_case(number)
    policy.require(user, "case.reroute", case)
    _require_reason(reason)
    department = departments().get((department_code or "").strip().upper())
    if department is None or not department.active:
        raise errors.ValidationFailedError(
            T('unknown department'), {"department": [T('no department %(department_code)s', department_code=department_code)]})
    old = getattr(department_by_id(case.department_id), "code", None)
    if old == department.code:
        raise errors.ConflictError(T('the case is with %(old)s already', old=old))
    now = utcnow()
    moved = []
    with transaction():
        remember_department_queues(case.id, old)
        for task in db.session.scalars(select(Task).where(Task.case_id == case.id, Task.state.in_(OPEN_STATES))):
            if old and task.group and task.group.endswith(f"@{old}"):
                new_group = f"{task.group.split('@')[0]}@{department.code}"
                result = db.session.execute(update(Task).where(Task.id == task.id, Task.state.in_(OPEN_STATES)).values(
                    group=new_group, assignee=None, state="ready", claimed_at=None, reassigned_at=now)
                    .execution_options(synchronize_session=False))
                if result.rowcount == 1:
                    moved.append(task.id)
        # The instance's version moves on: a step racing the re-routing gets a conflict, never a stale department.
        db.session.execute(update(ProcessInstance).where(ProcessInstance.case_id == case.id,
                                                         ProcessInstance.completed.is_(False))
                           .values(lock_version=ProcessInstance.lock_version + 1))
        db.session.execute(update(Case).where(Case.id == case.id).values(department_id=department.id, last_activity_at=now))
        ledger.record(case.id, user.username, "case.rerouted", **{"from": old, "to": department.code,
                                                                  "reason": reason.strip(), "tasks": moved})
        notify([{"case_id": case.id, "task_id": None, "recipient_group": f"handler@{department.code}",
                 "recipient_user": None, "kind": "assigned", "message": f"{case.number}: {reason.strip()}",
                 "dedupe_key": f"rerouted:{case.id}:{now.isoformat()}", "created_at": now}])
        tell(case.id, [("routed", {"department": department.code})], f"rerouted:{now.isoformat()}")
    db.session.refresh(case)
    return case


def _open_case(number: str) -> Case:
    case = records.case_by_number(str(number))
    if case.status in FINAL_STATUSES:
        raise errors.ConflictError(T('the case is %(status)s', status=case.status))
    return case


def _require_reason(reason: str) -> None:
    if not reason or not reason.strip():
        raise errors.ValidationFailedError(T('a reason is required'), {"reason": [T('must not be blank')]})


def _routed_at(case: Case) -> datetime | None:
    entry = db.session.scalar(select(LedgerEntry).where(LedgerEntry.case_id == case.id, LedgerEntry.action.in_(
        ("case.routed", "case.rerouted"))).order_by(LedgerEntry.id.desc()).limit(1))
    return entry.at if entry else None
