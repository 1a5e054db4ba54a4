"""Human tasks: who may work on one, claim, release, complete (assigning: assignment.py)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, select

from app import engine
from app.extensions import db
from app.models import OPEN_STATES, Case, ProcessInstance, ProcessVersion, Task, TaskDraft, TaskOffer, User, utcnow

from .. import errors, ledger, policy, reference
from ..errors import T
from ..policy import Principal
from ..procedures.bundles import form_in_version
from ..procedures.forms import validate_form
from ..sql import sql
from ..transaction import transaction
from ..uow.operation import CaseState
from ..uow.workflow import instance_operation, run_engine

_tasks = Task.__table__
_CLOSE_TASK = _tasks.update().where(
    _tasks.c.id == bindparam("b_id"),
    _tasks.c.state.in_(("ready", "claimed")),
    (_tasks.c.assignee.is_(None)) | (_tasks.c.assignee == bindparam("b_user")),
)


def can_work_on(user: Principal, task) -> bool:
    """The rule of claiming, completing and drafting (policy action task.work): the task is in one of the
    user's queues, assigned to them or offered to them by name."""
    return policy.may(user, "task.work", task)


def offered_to(task_id: str) -> list[tuple[str, str]]:
    """The people the task is offered to by name (its diagram's candidate users): (username, display name), in
    username order."""
    return [(username, name or username) for username, name in db.session.execute(
        select(TaskOffer.username, User.display_name).join(User, User.username == TaskOffer.username)
        .where(TaskOffer.task_id == task_id).order_by(TaskOffer.username))]


def get_task_for(user: Principal, task_id: str) -> Task:
    """The task, if the user may see it (policy action task.view)."""
    task = db.session.get(Task, task_id) if isinstance(task_id, str) and len(task_id) <= 36 else None
    if task is None:
        raise errors.NotFoundError(T('no task %(task_id)s', task_id=task_id))
    policy.require(user, "task.view", task)
    return task


def claim_task(user: Principal, task_id: str) -> Task:
    """Take a ready task of one's group; 409 when someone else holds it (claiming one's own again is no change)."""
    task = task_to_work_on(user, task_id)
    with transaction():
        claimed = sql(_CLAIM, {"b_id": task.id, "assignee": user.username, "claimed_at": utcnow()}).rowcount == 1
        if claimed:
            step_outside_engine(task, user.username, "task.claimed", task=task.id)
    db.session.refresh(task)  # the UPDATE bypassed the identity map
    if not claimed and not (task.state == "claimed" and task.assignee == user.username):
        raise _not_available(task, user)
    return task


def release_task(user: Principal, task_id: str) -> Task:
    """Give a claimed task back to its group's queue; 409 unless the user holds it."""
    task = task_to_work_on(user, task_id)
    with transaction():
        if sql(_RELEASE, {"b_id": task.id, "b_user": user.username}).rowcount != 1:
            raise errors.ConflictError(T('you do not hold this task'))
        step_outside_engine(task, user.username, "task.released", task=task.id)
    db.session.refresh(task)
    return task


_CLAIM = _tasks.update().where(_tasks.c.id == bindparam("b_id"), _tasks.c.state == "ready").values(
    state="claimed", assignee=bindparam("assignee"), claimed_at=bindparam("claimed_at"))
_RELEASE = _tasks.update().where(
    _tasks.c.id == bindparam("b_id"), _tasks.c.state == "claimed", _tasks.c.assignee == bindparam("b_user")
).values(state="ready", assignee=None, claimed_at=None)


def complete_task(user: Principal, task_id: str, data: Any) -> tuple[Any, CaseState, list[dict[str, Any]]]:
    """Validate the form data, complete the task in the engine and save; returns (the task as read, its case, next tasks)."""
    task = _task_for_completion(user, task_id)
    if task.state == "claimed" and task.assignee != user.username:
        raise errors.TaskClaimedError(T('the task is claimed by %(assignee)s', assignee=task.assignee))
    if task.state not in ("ready", "claimed"):
        raise errors.TaskNotReadyError(T('the task is %(state)s', state=task.state))
    form = _form_of(task)
    with instance_operation(task.instance_id, user.username) as op:
        # Validated against what the case's data holds (a field left out keeps its value); then the engine
        # step, in memory, before this transaction writes anything: a slow script (up to its budget) must not
        # hold SQLite's write lock against everyone else.
        current = run_engine(op, lambda: engine.task_data(op.workflow, task.id))
        clean = _validated(form, data, current)
        run_engine(op, lambda: engine.complete_task(op.workflow, task.id, clean))
        # Guarded UPDATE: of two concurrent completions only one matches the row (and the
        # instance's version check in save() refuses the second write of the same state).
        result = sql(_CLOSE_TASK, {"b_id": task.id, "b_user": user.username, "state": "completed",
                                   "completed_at": utcnow(), "completed_by": user.username, "assignee": user.username})
        if result.rowcount != 1:
            raise errors.StaleStateError(T('the task was completed or claimed meanwhile'))
        sql(_FORGET_DRAFTS, {"b_task": task.id})  # a finished task keeps no drafts (anyone's)
        sql(_FORGET_OFFERS, {"b_task": task.id})  # nor offers (those of cancelled tasks: forget_closed_offers)
        op.handled.add(task.id)
        if task.state == "ready":  # a queue's task submitted unclaimed: claimed on submit, by who submitted it
            op.record("task.claimed", task=task.id)
        op.record("task.completed", task=task.id, data=clean)  # the step's name and title: ledger.readable()
    return task, op.case, op.new_tasks


_instances, _versions = ProcessInstance.__table__, ProcessVersion.__table__
_TASK_FOR_COMPLETION = (
    select(_tasks, _versions.c.id.label("version_id"), _versions.c.hash.label("version_hash"))
    .join(_instances, _instances.c.id == _tasks.c.instance_id)
    .join(_versions, _versions.c.id == _instances.c.process_version_id)
    .where(_tasks.c.id == bindparam("task_id"))
)

_FORGET_DRAFTS = TaskDraft.__table__.delete().where(TaskDraft.__table__.c.task_id == bindparam("b_task"))
_FORGET_OFFERS = TaskOffer.__table__.delete().where(TaskOffer.__table__.c.task_id == bindparam("b_task"))


def forget_closed_offers() -> int:
    """Remove the offers of tasks no longer open -- cancelled, or closed by a migration (the scheduler's
    housekeeping): the inbox reads a person's offers, which must stay as few as their open work."""
    closed = select(Task.id).where(Task.id == TaskOffer.task_id, Task.state.not_in(OPEN_STATES))
    with transaction():
        return sql(TaskOffer.__table__.delete().where(closed.exists())).rowcount


def _task_for_completion(user: Principal, task_id: str):
    """The task row with its process version (for the form), in one query; the same checks as `task_to_work_on`."""
    row = sql(_TASK_FOR_COMPLETION, {"task_id": task_id}).first() if isinstance(task_id, str) and len(task_id) <= 36 else None
    if row is None:
        raise errors.NotFoundError(T('no task %(task_id)s', task_id=task_id))
    policy.require(user, "task.work", row)
    return row


def task_to_work_on(user: Principal, task_id: str) -> Task:
    """The task, if the user may work on it (policy action task.work): their queue's, or theirs."""
    task = db.session.get(Task, task_id) if isinstance(task_id, str) and len(task_id) <= 36 else None
    if task is None:
        raise errors.NotFoundError(T('no task %(task_id)s', task_id=task_id))
    policy.require(user, "task.work", task)
    return task


def _not_available(task: Task, user: Principal) -> errors.MinyiError:
    if task.state == "claimed":
        return errors.TaskClaimedError(T('the task is claimed by %(assignee)s', assignee=task.assignee))
    return errors.TaskNotReadyError(T('the task is %(state)s', state=task.state))


def _form_of(task):
    """The task's form in its version's bundle (None: the task takes no form data)."""
    if task.form is None:
        return None
    form = form_in_version(task.form, task.version_id, task.version_hash)
    if form is None:
        raise errors.ProcessFailedError(T("the task's form '%(form)s' is missing", form=task.form))
    return form


def _validated(form, data: Any, current: dict[str, Any]) -> dict[str, Any]:
    if form is None:
        if data not in (None, {}):
            raise errors.FormValidationError({"_schema": ["this task takes no form data"]})
        return {}
    known = {"department": _known_departments, "user": _known_users}
    return validate_form(form, data if data is not None else {}, known, current)


def _known_departments(codes) -> set[str]:
    known = reference.departments()
    return {code for code in codes if code in known and known[code].active}


def _known_users(names) -> set[str]:
    return set(db.session.scalars(select(User.username).where(User.username.in_(list(names)), User.active.is_(True))))


def step_outside_engine(row: Task, actor: str, action: str, **details) -> None:
    """The ledger entry of a task step taken outside the engine; it is activity on the case too."""
    ledger.record(row.case_id, actor, action, **details)
    sql(_TOUCH_CASE, {"b_id": row.case_id, "last_activity_at": utcnow()})


_TOUCH_CASE = Case.__table__.update().where(Case.__table__.c.id == bindparam("b_id")).values(
    last_activity_at=bindparam("last_activity_at"))
