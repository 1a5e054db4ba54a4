"""Projections written on every save: case fields, the human-task inbox and the pending timers.

All three come from what the engine reports for this operation (app.engine.StepLog) and from its
state before and after, so saving needs no reads:
- case fields change only through `set_case(...)` calls, applied in the order the scripts ran;
- tasks and timers are keyed by the engine's task id: parallel branches and multi-instance
  children each get their own row, department and SLA clock;
- a BPMN timer is logged as fired only when its event task ran.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import bindparam, or_

from app import engine
from app.calendar.helpers import unit_of
from app.models import (
    CATEGORIES,
    FINAL_STATUSES,
    FOLLOW_UP_OUTCOMES,
    SATISFACTION_SOURCES,
    TRANSITIONS,
    Case,
    Task,
    TaskOffer,
    Timer,
    utcnow,
)

from .. import errors
from ..errors import T
from ..groups import who_does
from ..notifications import notify
from ..reference import department_by_id, departments, provisional
from ..sql import sql
from .operation import Operation
from .queues import remember_department_queues, remember_people, remember_queues
from .sla import alerts_at_once, sla_clock, sla_rows

_cases, _tasks, _timers = Case.__table__, Task.__table__, Timer.__table__
OPEN = ("ready", "claimed")
# Statements built once (the hot path); lists bind as expanding parameters.
_INSERT_TASKS = _tasks.insert()
_INSERT_OFFERS = TaskOffer.__table__.insert()
_INSERT_TIMERS = _timers.insert()
_CANCEL_TASKS = (_tasks.update().where(_tasks.c.id.in_(bindparam("ids", expanding=True)), _tasks.c.state.in_(OPEN))
                 .values(state="cancelled", completed_at=bindparam("now")))
_DELETE_TIMERS = _timers.delete().where(or_(_timers.c.id.in_(bindparam("ids", expanding=True)),
                                            _timers.c.task_id.in_(bindparam("task_ids", expanding=True))))
_MOVE_TIMER = _timers.update().where(_timers.c.id == bindparam("b_id")).values(due_at=bindparam("due_at"),
                                                                               provisional=bindparam("provisional"))


@lru_cache(maxsize=64)
def _update_case(columns: tuple[str, ...]):
    """An UPDATE of these case columns (and updated_at), built once per set of columns."""
    return _cases.update().where(_cases.c.id == bindparam("b_id")).values(
        {name: bindparam(name) for name in (*columns, "updated_at")})


def apply_case_updates(op: Operation) -> None:
    """Apply the `set_case(...)` calls of this operation, in the order the scripts made them; a process that ended
    without giving its case a final status closes it (unless it handed the case on to another category's process)."""
    for update in op.log.case_updates:
        for name, value in update.items():
            _SETTERS[name](op, value, update)
    if engine.is_completed(op.workflow) and op.case.status not in FINAL_STATUSES and not op.reclassified:
        _set_status(op, "closed", {})


def _set_status(op: Operation, status: Any, _update) -> None:
    case = op.case
    if status == case.status:
        return
    if status not in TRANSITIONS.get(case.status, ()):
        raise errors.ProcessFailedError(
            T("the process moved the case from '%(status)s' to '%(status2)s', which is not allowed", status=case.status, status2=status))
    op.record("case.status_changed", **{"from": case.status, "to": status})
    case.set("status", status)
    if status in FINAL_STATUSES:
        case.changes["closed_at"] = utcnow()


def _set_department(op: Operation, code: Any, _update) -> None:
    department = departments().get(str(code).strip().upper()) if code else None
    if department is None:
        raise errors.ProcessFailedError(T("the process routed the case to an unknown department '%(code)s'", code=code))
    if op.case.department_id != department.id:
        op.record("case.routed", department=department.code)
        if op.case.department_id is not None:  # its old department's queues keep seeing the case
            remember_department_queues(op.case.id, _department_code(op.case.department_id))
        op.case.set("department_id", department.id)


def _set_due(op: Operation, value: Any, update: dict) -> None:
    try:
        due = datetime.fromisoformat(str(value)).astimezone(UTC)
    except (TypeError, ValueError) as exc:
        raise errors.ProcessFailedError(T('set_case(due=...) needs an ISO-8601 moment, not %(value)s', value=repr(value))) from exc
    if op.case.due_at != due:
        if op.case.due_at is not None:
            op.record("case.due_changed", due=due.isoformat(), reason=update.get("due_reason"))
        op.case.set("due_at", due)
    op.case.set("due_unit", unit_of(value))


def _set_category(op: Operation, category: Any, _update) -> None:
    """Reclassification: the case goes on in the new category's process once this one ends (same number, history kept)."""
    if category not in CATEGORIES:
        raise errors.ProcessFailedError(
            T("the process reclassified the case as '%(category)s', which is not a category", category=category))
    if category != op.case.category:
        op.record("case.reclassified", **{"from": op.case.category, "to": category})
        op.case.set("category", category)
        op.reclassified = category


def _set_answer(op: Operation, value: Any) -> None:
    """The answer the petitioner reads; each new one is in the ledger, so a re-handled case still shows the first."""
    if value is not None and value != op.case.answer:
        op.record("case.answered", answer=value)
    op.case.set("answer", value)


def _set_satisfaction(op: Operation, value: Any, update: dict) -> None:
    """A rating recorded on the case (online or on the visit), with its comment and source, kept in the ledger."""
    if value is not None:
        op.record("case.satisfaction_recorded", score=value, comment=update.get("satisfaction_comment"),
                  source=update.get("satisfaction_source"))
    op.case.set("satisfaction", value)


def _set_promised(op: Operation, name: str, value: Any, update: dict) -> None:
    """A date promised to the petitioner. When the answer date changes, the ledger says to what and why: the case was
    accepted (the handling period starts), the period was extended (with the reason the step gave), or changed."""
    if value is None:
        return
    try:
        moment = datetime.fromisoformat(str(value)).astimezone(UTC)
    except (TypeError, ValueError) as exc:
        raise errors.ProcessFailedError(
            T('set_case(%(name)s=...) needs an ISO-8601 moment, not %(value)s', name=name, value=repr(value))) from exc
    before = getattr(op.case, name)
    if before == moment:
        return
    op.case.set(name, moment)
    if name == "answer_by" and before is not None:
        because = "accepted" if update.get("status") == "handling" else "extended" if update.get("due_reason") else "changed"
        op.record("case.answer_by_changed", answer_by=moment.isoformat(), because=because, reason=update.get("due_reason"))


def _set_choice(op: Operation, name: str, value: Any, allowed: tuple[str, ...]) -> None:
    """A field with a few known values, each change in the ledger: the follow-up visit's outcome, and who rated (or
    that nobody did: closed without a rating)."""
    if value is None:
        return
    if value not in allowed:
        raise errors.ProcessFailedError(
            T('set_case(%(name)s=...) takes one of %(value)s, not %(value2)s', name=name, value=', '.join(allowed), value2=repr(value)))
    if getattr(op.case, name) != value:
        op.case.set(name, value)
        if name == "follow_up":
            op.record("case.followed_up", outcome=value)
        elif value == "none":
            op.record("case.unrated")


def _set_plain(name: str):
    def setter(op: Operation, value: Any, _update) -> None:
        op.case.set(name, value)

    return setter


_SETTERS = {
    "status": _set_status,
    "department": _set_department,
    "due": _set_due,
    "due_reason": lambda op, value, update: None,  # read with `due`
    "category": _set_category,
    "answer": lambda op, value, update: _set_answer(op, value),
    "satisfaction": lambda op, value, update: _set_satisfaction(op, value, update),
    "satisfaction_comment": _set_plain("satisfaction_comment"),
    "accept_by": lambda op, value, update: _set_promised(op, "accept_by", value, update),
    "answer_by": lambda op, value, update: _set_promised(op, "answer_by", value, update),
    "satisfaction_source": lambda op, value, update: _set_choice(op, "satisfaction_source", value, SATISFACTION_SOURCES),
    "follow_up": lambda op, value, update: _set_choice(op, "follow_up", value, FOLLOW_UP_OUTCOMES),
    # an interim public statement (an incident's 阶段性通报): in the ledger, which the public view reads; no column
    "statement": lambda op, value, update: value and op.record("case.statement_published", statement=str(value)),
}


def write_case(op: Operation) -> None:
    changes = op.case.changes
    if changes:
        sql(_update_case(tuple(sorted(changes))), {**changes, "updated_at": utcnow(), "b_id": op.case.id})


def project_tasks_and_timers(op: Operation) -> None:
    """Close tasks the engine no longer waits on, open new ones with their SLA clocks, follow BPMN timers."""
    now = utcnow()
    ready = {t.id: t for t in engine.ready_human_tasks(op.workflow)}
    closed = _close_gone_tasks(op, ready, now)
    new_timer_rows = _project_bpmn_timers(op, now)
    new_timer_rows += _open_new_tasks(op, ready, now)
    if op.dropped_timers or closed:
        sql(_DELETE_TIMERS, {"ids": sorted(op.dropped_timers), "task_ids": sorted(closed)})
    if new_timer_rows:
        sql(_INSERT_TIMERS, new_timer_rows)
    if op.new_tasks:
        sql(_INSERT_TASKS, op.new_tasks)
    if op.new_offers:
        sql(_INSERT_OFFERS, op.new_offers)
        op.new_offers = []
    if op.alerts:
        notify(op.alerts)
        op.alerts = []


def _close_gone_tasks(op: Operation, ready: dict, now: datetime) -> set[str]:
    """Tasks the operation completed itself are in `op.handled`; the others that left READY were cancelled."""
    cancelled = sorted(tid for tid in op.ready_before if tid not in ready and tid not in op.handled)
    if cancelled:
        sql(_CANCEL_TASKS, {"ids": cancelled, "now": now})
        for task_id in cancelled:
            op.record("task.cancelled", task=task_id)
    return set(cancelled) | {tid for tid in op.handled if tid in op.ready_before}


def _project_bpmn_timers(op: Operation, now: datetime) -> list[dict[str, Any]]:
    timers = {t.task_id: t for t in engine.pending_timers(op.workflow)}
    before, ran = op.timers_before, op.log.completed_ids()
    for timer_id, timer in before.items():
        if timer_id not in timers:
            op.dropped_timers.add(timer_id)
            if timer_id in ran:
                op.record("timer.fired", timer=timer.name, title=timer.title, task=timer.attached_to)
    for timer_id, timer in timers.items():
        old = before.get(timer_id)
        if old is None or old.due_at == timer.due_at:
            continue
        if not op.shifting and old.due_at <= now:  # a cycle moved on to its next firing
            op.record("timer.fired", timer=timer.name, title=timer.title, task=timer.attached_to)
        sql(_MOVE_TIMER, {"b_id": timer_id, "due_at": timer.due_at, "provisional": provisional(timer.due_at)})
    return [
        {"id": t.task_id, "instance_id": op.instance_id, "case_id": op.case.id, "kind": "bpmn", "task_id": None,
         "name": t.name, "title": t.title, "attached_to": t.attached_to, "unit": t.unit, "due_at": t.due_at,
         "provisional": provisional(t.due_at), "started_at": now}
        for timer_id, t in timers.items() if timer_id not in before
    ]


def _open_new_tasks(op: Operation, ready: dict, now: datetime) -> list[dict[str, Any]]:
    """Insert newly ready human tasks, each with its department, group and SLA clock; returns the clock rows."""
    rows, groups = [], []
    for task_id, human in ready.items():
        if task_id in op.ready_before:
            continue
        clock = sla_clock(op.workflow, human, now)
        who = who_does(human, _department_of(op, human), op.workflow.spec.name)
        op.new_tasks.append({
            "id": task_id, "case_id": op.case.id, "instance_id": op.instance_id, "name": human.name,
            "title": human.title, "lane": human.lane, "group": who.group, "form": human.form,
            "state": "claimed" if who.assignee else "ready", "assignee": who.assignee,
            "claimed_at": now if who.assignee else None, "created_at": now, "due_at": clock.breach if clock else None})
        if clock is not None:
            rows += sla_rows(op.instance_id, op.case.id, human, clock, now)
        op.record("task.created", task=task_id, due=clock.breach.isoformat() if clock else None)  # name: readable()
        if who.assignee:
            op.record("task.assigned", task=task_id, to=who.assignee, because="diagram")
        if who.offered:
            op.new_offers += [{"username": name, "task_id": task_id} for name in who.offered]
            op.record("task.offered", task=task_id, to=", ".join(who.offered))
        if alerts_at_once(op.workflow, human):
            op.alerts.append({"case_id": op.case.id, "task_id": task_id, "recipient_group": op.new_tasks[-1]["group"],
                              "recipient_user": None, "kind": "alert", "message": f"{op.case.number}: {human.title}",
                              "dedupe_key": f"alert:{task_id}", "created_at": now})
        groups.append(op.new_tasks[-1]["group"])
    remember_queues(op.case.id, groups, _department_code(op.case.department_id))
    remember_people(op.case.id, {o["username"] for o in op.new_offers})
    return rows


def _department_of(op: Operation, human) -> str | None:
    """A multi-instance child's own department (from its item) when that is a department; else the case's."""
    known = departments()
    if human.department and human.department.strip().upper() in known:
        return human.department.strip().upper()
    return next((d.code for d in known.values() if d.id == op.case.department_id), None)


def _department_code(department_id: int | None) -> str | None:
    return getattr(department_by_id(department_id), "code", None)


