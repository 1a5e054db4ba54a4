"""Projections written on every save: case fields, the human-task inbox and the pending timers.

Each is derived from the engine's state before and after the operation, so saving needs no reads.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import or_, select, update

from app import engine
from app.calendar import has_official_data
from app.models import FINAL_STATUSES, TRANSITIONS, Case, Notification, OutboxMessage, Task, Timer, utcnow

from . import errors
from .calendar import zone
from .reference import departments, lane_groups
from .sql import sql

if TYPE_CHECKING:
    from .workflow import CaseState, Operation

PROJECTED = ("answer", "satisfaction", "satisfaction_comment")
_cases, _tasks, _timers = Case.__table__, Task.__table__, Timer.__table__
_notifications, _outbox = Notification.__table__, OutboxMessage.__table__
_INSERT_TASKS = _tasks.insert()
_INSERT_TIMERS = _timers.insert()


def project_case(op: Operation, data: dict[str, Any]) -> None:
    """Copy what the process decided (status, department, answer, rating) onto the case."""
    case = op.case
    status = data.get("case_status")
    if status and status != case.status:
        if status not in TRANSITIONS.get(case.status, ()):
            raise errors.ProcessFailedError(f"the process moved the case from '{case.status}' to '{status}', which is not allowed")
        op.record("case.status_changed", **{"from": case.status, "to": status})
        case.set("status", status)
        if status in FINAL_STATUSES:
            case.changes["closed_at"] = utcnow()
    code = data.get("department")
    if code:
        department = departments().get(code)
        if department is None:
            raise errors.ProcessFailedError(f"the process routed the case to an unknown department '{code}'")
        if case.department_id != department.id:
            op.record("case.routed", department=code)
            case.set("department_id", department.id)
    for name in PROJECTED:
        if data.get(name) is not None:
            case.set(name, data[name])
    if data.get("case_due"):
        due = datetime.fromisoformat(data["case_due"]).astimezone(UTC)
        if case.due_at != due:
            if case.due_at is not None:
                op.record("case.due_changed", due=due.isoformat(), reason=data.get("extension_reason"))
            case.set("due_at", due)


def write_case(op: Operation) -> None:
    if op.case.changes:
        sql(_cases.update().where(_cases.c.id == op.case.id).values(**op.case.changes, updated_at=utcnow()))


def _department_code(case: CaseState) -> str | None:
    return next((d.code for d in departments().values() if d.id == case.department_id), None)


def project_timers_and_tasks(op: Operation) -> None:
    """Timers first: a new task takes its due time from the timer marked as its deadline."""
    timers = {t.task_id: t for t in engine.pending_timers(op.workflow)}
    _project_timers(op, timers)
    _project_tasks(op, timers)
    case_deadlines = [t.due_at for t in timers.values() if t.properties.get("deadline") == "case"]
    if case_deadlines:
        op.case.set("due_at", min(case_deadlines))


def _project_timers(op: Operation, timers: dict[str, Any]) -> None:
    before = op.timers_before
    gone = [tid for tid in before if tid not in timers]
    if gone:
        sql(_timers.delete().where(_timers.c.id.in_(gone)))
    moved = [t for tid, t in timers.items() if tid in before and before[tid].due_at != t.due_at]
    # Fired: gone, or a cycle moved on, with its due time past. A cycle's catch-up after downtime
    # fires all missed cycles in one wake; it counts once here.
    now = utcnow()
    candidates = [before[tid] for tid in gone] + ([] if op.shifting else [before[t.task_id] for t in moved])
    for timer in candidates:
        if timer.due_at <= now:
            op.record("timer.fired", timer=timer.name, title=timer.title, task=timer.attached_to,
                      role=timer.properties.get("role"))
            op.fired.append(timer)
    for timer in moved:
        sql(_timers.update().where(_timers.c.id == timer.task_id).values(due_at=timer.due_at,
                                                                         provisional=_provisional(timer.due_at)))
        if timer.properties.get("deadline") == "task":
            sql(update(Task).where(Task.instance_id == op.instance_id, Task.name == timer.attached_to,
                                   Task.state.in_(("ready", "claimed"))).values(due_at=timer.due_at))
    new = [t for tid, t in timers.items() if tid not in before]
    if new:
        sql(_INSERT_TIMERS, [
            {"id": t.task_id, "instance_id": op.instance_id, "case_id": op.case.id, "name": t.name, "title": t.title,
             "attached_to": t.attached_to, "role": t.properties.get("role"), "due_at": t.due_at,
             "provisional": _provisional(t.due_at), "started_at": now}
            for t in new
        ])


def _provisional(due) -> bool:
    return not has_official_data(due.astimezone(zone()).year)


def _task_deadline(name: str, timers: dict[str, Any]):
    due = [t.due_at for t in timers.values() if t.attached_to == name and t.properties.get("deadline") == "task"]
    return min(due) if due else None


def _project_tasks(op: Operation, timers: dict[str, Any]) -> None:
    """Insert newly ready human tasks; cancel projected ones the engine no longer waits on.

    The projection is derived from the states before and after the operation, so no read is needed.
    Tasks the operation itself closed (completed) are in `op.handled`.
    """
    ready = {t.id: t for t in engine.ready_human_tasks(op.workflow)}
    gone = [task_id for task_id in op.ready_before if task_id not in ready and task_id not in op.handled]
    now = utcnow()
    if gone:
        sql(update(Task).where(Task.id.in_(gone), Task.state.in_(("ready", "claimed"))).values(state="cancelled", completed_at=now))
        for task_id in gone:
            op.record("task.cancelled", task=task_id)
    lanes, department = lane_groups(), _department_code(op.case)
    for task_id, human in ready.items():
        if task_id in op.ready_before:
            continue
        op.new_tasks.append({
            "id": task_id, "case_id": op.case.id, "instance_id": op.instance_id, "name": human.name,
            "title": human.title, "lane": human.lane, "group": _group_for(human.lane, lanes, department),
            "form": human.form, "state": "ready", "assignee": None, "created_at": now,
            "due_at": _task_deadline(human.name, timers),
        })
        op.task_properties[task_id] = human.properties
        op.record("task.created", task=task_id, name=human.name, title=human.title)
    if op.new_tasks:
        sql(_INSERT_TASKS, op.new_tasks)


def _group_for(lane: str | None, lanes: dict, department: str | None) -> str | None:
    rule = lanes.get(lane) if lane else None
    if rule is None:
        return None
    return f"{rule.role}@{department}" if rule.department_scoped and department else rule.role


def apply_fired_timers(op: Operation) -> None:
    """Flag the tasks whose warning or deadline passed, and notify (once per timer and due time)."""
    if not op.fired:
        return
    open_tasks = {t.name: t.id for t in engine.ready_human_tasks(op.workflow)}
    rows = []
    for timer in op.fired:
        role = timer.properties.get("role") or ("breach" if timer.properties.get("deadline") == "task" else None)
        task_id = open_tasks.get(timer.attached_to)
        if role not in ("warning", "breach") or task_id is None:
            continue
        state = "at_risk" if role == "warning" else "overdue"
        guard = Task.sla_state.is_(None) if role == "warning" else or_(Task.sla_state.is_(None), Task.sla_state != "overdue")
        sql(update(Task).where(Task.id == task_id, guard).values(sla_state=state))
        text = f"{op.case.number}: {timer.title}"
        key = f"{role}:{timer.task_id}:{timer.due_at.isoformat()}"
        group, assignee = _task_recipients(task_id)
        rows.append({"case_id": op.case.id, "task_id": task_id, "recipient_group": group, "recipient_user": assignee,
                     "kind": role, "message": text, "dedupe_key": key, "created_at": utcnow()})
    if rows:
        notify(rows)


def notify_new_tasks(op: Operation) -> None:
    """Tasks marked `notify` in the BPMN (supervision notices, escalations) notify their group."""
    rows = []
    for task in op.new_tasks:
        kind = op.task_properties.get(task["id"], {}).get("notify")
        if kind:
            rows.append({"case_id": op.case.id, "task_id": task["id"], "recipient_group": task["group"], "kind": kind,
                         "message": f"{op.case.number}: {task['title']}", "dedupe_key": f"{kind}:{task['id']}",
                         "created_at": utcnow()})
    if rows:
        notify(rows)


def notify(rows: list[dict[str, Any]]) -> None:
    """In-app notifications plus an outbox row each; a repeated event (same dedupe key) is ignored."""
    for row in rows:
        inserted = sql(_insert_ignoring_duplicates(row)).first()
        if inserted is not None:
            sql(_outbox.insert().values(notification_id=inserted.id, channel="email", status="pending", attempts=0,
                                        payload={"group": row["recipient_group"], "user": row.get("recipient_user"),
                                                 "kind": row["kind"], "message": row["message"]},
                                        created_at=row["created_at"]))


def _insert_ignoring_duplicates(row):
    from sqlalchemy.dialects import postgresql, sqlite

    from app.extensions import db

    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    return (dialect.insert(_notifications).values(**row)
            .on_conflict_do_nothing(index_elements=["dedupe_key"]).returning(_notifications.c.id))


def _task_recipients(task_id: str) -> tuple[str | None, str | None]:
    """The task's group and, when claimed, its assignee."""
    row = sql(select(_tasks.c.group, _tasks.c.assignee).where(_tasks.c.id == task_id)).first()
    return (row.group, row.assignee) if row else (None, None)
