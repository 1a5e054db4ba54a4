"""Human tasks: claim, release, complete, assign."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.exc import OperationalError

from app import engine
from app.extensions import db
from app.models import OPEN_STATES, ROLES, Case, Department, ProcessInstance, ProcessVersion, Task, TaskDraft, User, utcnow

from . import errors, reference
from .access import check_supervision_scope
from .forms import validate_form
from .notifications import notify
from .people import Principal
from .procedures.bundles import form_in_version
from .sql import sql
from .workflow import CaseState, instance_operation, run_engine, write_ledger

_tasks = Task.__table__
_CLOSE_TASK = _tasks.update().where(
    _tasks.c.id == bindparam("b_id"),
    _tasks.c.state.in_(("ready", "claimed")),
    (_tasks.c.assignee.is_(None)) | (_tasks.c.assignee == bindparam("b_user")),
)


def can_work_on(user: Principal, task: Task) -> bool:
    return task.group is not None and task.group in user.groups


def get_task_for(user: Principal, task_id: str) -> Task:
    """The task, if the user may see it (its group, its assignee, or a supervisor/admin)."""
    task = db.session.get(Task, task_id) if isinstance(task_id, str) and len(task_id) <= 36 else None
    if task is None:
        raise errors.NotFoundError(f"no task {task_id}")
    if not (can_work_on(user, task) or task.assignee == user.username or user.has_role("supervisor", "admin")):
        raise errors.ForbiddenError("this task belongs to another group")
    return task


def claim_task(user: Principal, task_id: str) -> Task:
    """Take a ready task of one's group; 409 when someone else holds it."""
    task = task_to_work_on(user, task_id)
    result = db.session.execute(
        update(Task)
        .where(Task.id == task.id, Task.state == "ready")
        .values(state="claimed", assignee=user.username, claimed_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.rollback()
        db.session.refresh(task)
        if task.state == "claimed" and task.assignee == user.username:
            return task
        raise _not_available(task, user)
    _ledger(task, user.username, "task.claimed", task=task.id, name=task.name)
    db.session.commit()
    db.session.refresh(task)  # the UPDATE bypassed the identity map
    return task


def release_task(user: Principal, task_id: str) -> Task:
    task = task_to_work_on(user, task_id)
    result = db.session.execute(
        update(Task)
        .where(Task.id == task.id, Task.state == "claimed", Task.assignee == user.username)
        .values(state="ready", assignee=None, claimed_at=None)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise errors.ConflictError("you do not hold this task")
    _ledger(task, user.username, "task.released", task=task.id, name=task.name)
    db.session.commit()
    db.session.refresh(task)
    return task


def complete_task(user: Principal, task_id: str, data: Any) -> tuple[Any, CaseState, list[dict[str, Any]]]:
    """Validate the form data, complete the task in the engine and save; returns (the task as read, its case, next tasks)."""
    task = _task_for_completion(user, task_id)
    if task.state == "claimed" and task.assignee != user.username:
        raise errors.TaskClaimedError(f"the task is claimed by {task.assignee}")
    if task.state not in ("ready", "claimed"):
        raise errors.TaskNotReadyError(f"the task is {task.state}")
    clean = _validated(task, data)
    with instance_operation(task.instance_id, user.username) as op:
        # The engine step runs first, in memory, before this transaction writes anything: a slow
        # script (up to its budget) must not hold SQLite's write lock against everyone else.
        run_engine(op, lambda: engine.complete_task(op.workflow, task.id, clean))
        # Guarded UPDATE: of two concurrent completions only one matches the row (and the
        # instance's version check in save() refuses the second write of the same state).
        result = sql(_CLOSE_TASK, {"b_id": task.id, "b_user": user.username, "state": "completed",
                                   "completed_at": utcnow(), "completed_by": user.username, "assignee": user.username})
        if result.rowcount != 1:
            raise errors.StaleStateError("the task was completed or claimed meanwhile")
        sql(_FORGET_DRAFTS, {"b_task": task.id})  # a finished task keeps no drafts (anyone's)
        op.handled.add(task.id)
        op.record("task.completed", task=task.id, name=task.name, title=task.title, data=clean)
    return task, op.case, op.new_tasks


_instances, _versions = ProcessInstance.__table__, ProcessVersion.__table__
_TASK_FOR_COMPLETION = (
    select(_tasks, _versions.c.id.label("version_id"), _versions.c.hash.label("version_hash"))
    .join(_instances, _instances.c.id == _tasks.c.instance_id)
    .join(_versions, _versions.c.id == _instances.c.process_version_id)
    .where(_tasks.c.id == bindparam("task_id"))
)

_FORGET_DRAFTS = TaskDraft.__table__.delete().where(TaskDraft.__table__.c.task_id == bindparam("b_task"))


def _task_for_completion(user: Principal, task_id: str):
    """The task row with its process version (for the form), in one query; the same checks as `task_to_work_on`."""
    row = sql(_TASK_FOR_COMPLETION, {"task_id": task_id}).first() if isinstance(task_id, str) and len(task_id) <= 36 else None
    if row is None:
        raise errors.NotFoundError(f"no task {task_id}")
    if not (can_work_on(user, row) or row.assignee == user.username):
        raise errors.ForbiddenError("this task belongs to another group")
    return row


def assign_tasks(user: Principal, task_ids: list[str], to_user: str | None, to_group: str | None, reason: str) -> list[Task]:
    """Supervisors hand open tasks to a user or a group; all or nothing.

    Each task row is changed only while it is still open, and each instance's version moves on, so
    an assignment racing a completion ends in exactly one success (the other gets a 409).
    """
    if not user.has_role("supervisor", "admin"):
        raise errors.ForbiddenError("only supervisors assign tasks")
    if bool(to_user) == bool(to_group):
        raise errors.ValidationFailedError("name a user or a group", {"user": ["give exactly one of user, group"]})
    if not reason or not reason.strip():
        raise errors.ValidationFailedError("a reason is required", {"reason": ["must not be blank"]})
    tasks = db.session.scalars(select(Task).where(Task.id.in_(task_ids))).all()
    missing = sorted(set(task_ids) - {t.id for t in tasks})
    if missing:
        raise errors.NotFoundError(f"no task {', '.join(missing)}")
    closed = [t.id for t in tasks if t.state not in OPEN_STATES]
    if closed:
        raise errors.TaskNotReadyError(f"not open: {', '.join(closed)}")
    case_departments = dict(db.session.execute(select(Case.id, Case.department_id).where(Case.id.in_({t.case_id for t in tasks}))).all())
    for task in tasks:
        check_supervision_scope(user, case_departments.get(task.case_id), task.group)
    target = None
    if to_user:
        target = db.session.scalar(select(User).where(User.username == to_user, User.active.is_(True)))
        if target is None:
            raise errors.ValidationFailedError("unknown user", {"user": [f"no user {to_user}"]})
    elif not _group_exists(to_group or ""):
        raise errors.ValidationFailedError("unknown group", {"group": [f"no group {to_group}"]})
    now = utcnow()
    try:
        for task in tasks:
            before = {"assignee": task.assignee, "group": task.group}
            if target is not None:
                values = {"assignee": target.username, "state": "claimed", "claimed_at": now, "reassigned_at": now,
                          "group": task.group if task.group in target.groups else _group_of_user(target, task.group)}
            else:
                values = {"group": to_group, "assignee": None, "state": "ready", "claimed_at": None, "reassigned_at": now}
            _guarded_task_update(task.id, values)
            _ledger(task, user.username, "task.assigned", task=task.id, name=task.name, before=before,
                    user=to_user, group=to_group, reason=reason.strip())
        # Whoever gains the work is told, once per move.
        notify([{"case_id": t.case_id, "task_id": t.id, "recipient_group": None if to_user else to_group,
                 "recipient_user": to_user, "kind": "assigned", "message": f"{t.title}: {reason.strip()}",
                 "dedupe_key": f"assigned:{t.id}:{now.isoformat()}", "created_at": now} for t in tasks])
        sql(update(ProcessInstance).where(ProcessInstance.id.in_(sorted({t.instance_id for t in tasks})))
            .values(lock_version=ProcessInstance.lock_version + 1))
        db.session.commit()
    except OperationalError as exc:  # SQLite: another writer held the database too long
        db.session.rollback()
        raise errors.StaleStateError("the tasks are being changed by someone else; try again") from exc
    except BaseException:
        db.session.rollback()
        raise
    for task in tasks:
        db.session.refresh(task)
    return list(tasks)


def _guarded_task_update(task_id: str, values: dict) -> None:
    result = sql(_tasks.update().where(_tasks.c.id == task_id, _tasks.c.state.in_(OPEN_STATES)).values(**values))
    if result.rowcount != 1:
        raise errors.StaleStateError(f"the task {task_id} was completed or cancelled meanwhile")


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


def task_to_work_on(user: Principal, task_id: str) -> Task:
    """The task, if the user may work on it (the rule of claiming and completing): their group's, or theirs."""
    task = get_task_for(user, task_id)
    if not (can_work_on(user, task) or task.assignee == user.username):
        raise errors.ForbiddenError("this task belongs to another group")
    return task


def _not_available(task: Task, user: Principal) -> errors.MinyiError:
    if task.state == "claimed":
        return errors.TaskClaimedError(f"the task is claimed by {task.assignee}")
    return errors.TaskNotReadyError(f"the task is {task.state}")


def _validated(task, data: Any) -> dict[str, Any]:
    if task.form is None:
        if data not in (None, {}):
            raise errors.FormValidationError({"_schema": ["this task takes no form data"]})
        return {}
    form = form_in_version(task.form, task.version_id, task.version_hash)
    if form is None:
        raise errors.ProcessFailedError(f"the task's form '{task.form}' is missing")
    known = {"department": _known_departments, "user": _known_users}
    return validate_form(form, data if data is not None else {}, known)


def _known_departments(codes) -> set[str]:
    known = reference.departments()
    return {code for code in codes if code in known and known[code].active}


def _known_users(names) -> set[str]:
    return set(db.session.scalars(select(User.username).where(User.username.in_(list(names)), User.active.is_(True))))


def _ledger(row: Task, actor: str, action: str, **details) -> None:
    """The ledger entry of a task step taken outside the engine; it is activity on the case too."""
    write_ledger(row.case_id, actor, [{"action": action, "details": details}])
    sql(_TOUCH_CASE, {"b_id": row.case_id, "last_activity_at": utcnow()})


_TOUCH_CASE = Case.__table__.update().where(Case.__table__.c.id == bindparam("b_id")).values(
    last_activity_at=bindparam("last_activity_at"))
