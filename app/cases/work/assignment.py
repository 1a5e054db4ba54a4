"""Assigning open tasks (supervisors): to a person or a group who may do the step, all or nothing, with
errors that name the tasks that could not move."""

from __future__ import annotations

from sqlalchemy import bindparam, select, update

from app.extensions import db
from app.models import OPEN_STATES, ROLES, Case, Department, ProcessInstance, Task, TaskOffer, User, utcnow

from .. import errors, policy, reference
from ..errors import T
from ..notifications import notify
from ..policy import Principal, check_supervision_scope
from ..sql import sql
from ..transaction import transaction
from ..uow.queues import remember_queues
from .tasks import step_outside_engine


def reassign_tasks(user: Principal, task_ids: list[str], to_user: str | None, to_group: str | None, reason: str) -> list[Task]:
    """assign_tasks (all or nothing); when some tasks cannot move, the error names them by case and title."""
    ids = sorted({str(t)[:36] for t in task_ids if t})
    if not ids:
        raise errors.ValidationFailedError(T('select at least one task'), {"tasks": [T('select at least one task')]})
    try:
        return assign_tasks(user, ids, to_user or None, to_group or None, reason)
    except errors.ConflictError as exc:
        stuck = _unmovable(ids)
        raise type(exc)(exc.message, {"tasks": stuck or [exc.message]}) from exc
    except errors.NotFoundError as exc:
        raise errors.ConflictError(exc.message, {"tasks": _unmovable(ids) or [exc.message]}) from exc


def _unmovable(ids: list[str]) -> list[str]:
    """'case number · task title (state)' for each selected task that is gone or no longer open."""
    found = {t.id: (t, number) for t, number in db.session.execute(
        select(Task, Case.number).join(Case, Case.id == Task.case_id).where(Task.id.in_(ids)))}
    stuck = [f"{found[i][1]} · {found[i][0].title} ({found[i][0].state})" for i in ids
             if i in found and found[i][0].state not in OPEN_STATES]
    return stuck + [i for i in ids if i not in found]


def assign_tasks(user: Principal, task_ids: list[str], to_user: str | None, to_group: str | None, reason: str) -> list[Task]:
    """Supervisors hand open tasks to a user or a group; all or nothing.

    Each task row is changed only while it is still open, and each instance's version moves on, so
    an assignment racing a completion ends in exactly one success (the other gets a 409).
    """
    policy.require(user, "task.assign")
    if bool(to_user) == bool(to_group):
        raise errors.ValidationFailedError(T('name a user or a group'), {"user": [T('give exactly one of user, group')]})
    if not reason or not reason.strip():
        raise errors.ValidationFailedError(T('a reason is required'), {"reason": [T('must not be blank')]})
    tasks = db.session.scalars(select(Task).where(Task.id.in_(task_ids))).all()
    missing = sorted(set(task_ids) - {t.id for t in tasks})
    if missing:
        raise errors.NotFoundError(T('no task %(value)s', value=', '.join(missing)))
    closed = [t.id for t in tasks if t.state not in OPEN_STATES]
    if closed:
        raise errors.TaskNotReadyError(T('not open: %(value)s', value=', '.join(closed)))
    case_departments = dict(db.session.execute(select(Case.id, Case.department_id).where(Case.id.in_({t.case_id for t in tasks}))).all())
    for task in tasks:
        check_supervision_scope(user, case_departments.get(task.case_id), task.group)
    target = None
    if to_user:
        target = db.session.scalar(select(User).where(User.username == to_user, User.active.is_(True)))
        if target is None:
            raise errors.ValidationFailedError(T('unknown user'), {"user": [T('no user %(to_user)s', to_user=to_user)]})
    elif not _group_exists(to_group or ""):
        raise errors.ValidationFailedError(T('unknown group'), {"group": [T('no group %(to_group)s', to_group=to_group)]})
    refused = [why for task in tasks if (why := _may_not_do(task, target, to_group))]
    if refused:
        raise errors.ValidationFailedError(T('cannot do this step'), {"user" if target is not None else "group": refused})
    codes = {d.id: d.code for d in reference.departments().values()}
    now = utcnow()
    with transaction():
        for task in tasks:
            before = {"assignee": task.assignee, "group": task.group}
            if target is not None:
                values = {"assignee": target.username, "state": "claimed", "claimed_at": now, "reassigned_at": now,
                          "group": task.group if task.group in target.groups else _group_of_user(target, task.group)}
            else:
                values = {"group": to_group, "assignee": None, "state": "ready", "claimed_at": None, "reassigned_at": now}
            _guarded_task_update(task.id, values)
            sql(_FORGET_OFFERS, {"b_task": task.id})  # moved on: no longer offered to those the diagram named
            remember_queues(task.case_id, [values["group"]], codes.get(case_departments.get(task.case_id)))
            step_outside_engine(task, user.username, "task.assigned", task=task.id, before=before,
                                user=to_user, group=to_group, reason=reason.strip())
        # Whoever gains the work is told, once per move.
        notify([{"case_id": t.case_id, "task_id": t.id, "recipient_group": None if to_user else to_group,
                 "recipient_user": to_user, "kind": "assigned", "message": f"{t.title}: {reason.strip()}",
                 "dedupe_key": f"assigned:{t.id}:{now.isoformat()}", "created_at": now} for t in tasks])
        sql(update(ProcessInstance).where(ProcessInstance.id.in_(sorted({t.instance_id for t in tasks})))
            .values(lock_version=ProcessInstance.lock_version + 1))
    for task in tasks:
        db.session.refresh(task)
    return list(tasks)


_tasks = Task.__table__
_FORGET_OFFERS = TaskOffer.__table__.delete().where(TaskOffer.__table__.c.task_id == bindparam("b_task"))


def _may_not_do(task: Task, target: User | None, group: str | None) -> str | None:
    """Why the user or queue may not do this task's step (None: they may): the step's role is the role of its
    queue (a head's review needs a head); a task in no queue needs someone who works on tasks."""
    role = task.group.partition("@")[0] if task.group else None
    if target is not None:
        if role is not None and role not in target.roles:
            return f"{target.username} may not do “{task.title}”: the step needs the role {role}"
        if role is None and not set(target.roles) & set(policy.WORKERS):
            return f"{target.username} does not work on tasks"
        return None
    given = (group or "").partition("@")[0]
    if role is not None and given != role:
        return f"the queue {group} may not do “{task.title}”: the step needs a queue of the role {role}"
    if role is None and given not in policy.WORKERS:
        return f"the queue {group} does not work on tasks"
    return None


def _guarded_task_update(task_id: str, values: dict) -> None:
    result = sql(_tasks.update().where(_tasks.c.id == task_id, _tasks.c.state.in_(OPEN_STATES)).values(**values))
    if result.rowcount != 1:
        raise errors.StaleStateError(T('the task %(task_id)s was completed or cancelled meanwhile', task_id=task_id))


def _group_of_user(target: User, current: str | None) -> str | None:
    role = (current or "").split("@")[0]
    code = target.department.code if target.department else None
    if role in target.roles:
        return f"{role}@{code}" if code and current and "@" in current else role
    return current


def _group_exists(group: str) -> bool:
    role, _, code = group.partition("@")
    if role not in ROLES:
        return False
    return not code or db.session.scalar(select(Department.id).where(Department.code == code)) is not None
