"""The unit of work around a process instance: load -> act -> save state, projections,
case fields and ledger entries in one transaction, guarded by the instance's version column.

This is the hot path of every operation, so it speaks SQL Core: one SELECT to load, and at
save one UPDATE per changed row plus one multi-row INSERT per table, whatever the ORM would do.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager
from typing import Any

from sqlalchemy import bindparam, select

from app import engine
from app.models import Case, ProcessInstance, ProcessVersion, utcnow

from .. import errors, ledger
from ..errors import T
from ..ledger import SYSTEM
from ..messages.kinds import events_of
from ..messages.outbox import tell
from ..reference import department_by_id
from ..sql import sql
from ..transaction import transaction
from .operation import CASE_FIELDS, CaseState, Operation
from .projections import apply_case_updates, project_tasks_and_timers, write_case
from .scripting import script_engine, start_data
from .versions import active_version, process_for_category, spec_for

# Statements built once: compiled once, then executed with parameters only.
_instances, _cases, _versions = ProcessInstance.__table__, Case.__table__, ProcessVersion.__table__
_LOAD = (
    select(_instances.c.state, _instances.c.lock_version, _versions.c.spec_hash, *(_cases.c[name] for name in CASE_FIELDS))
    .join(_cases, _cases.c.id == _instances.c.case_id)
    .join(_versions, _versions.c.id == _instances.c.process_version_id)
    .where(_instances.c.id == bindparam("instance_id"))
)
_INSERT_INSTANCE = _instances.insert().returning(_instances.c.id)
_INSERT_CASE = _cases.insert().returning(_cases.c.id)
_SAVE_INSTANCE = _instances.update().where(
    _instances.c.id == bindparam("b_id"), _instances.c.lock_version == bindparam("b_lock_version")
)


def start_process(case_row: dict[str, Any], version, actor: str, data: dict[str, Any],
                  first_entries: list[dict] | None = None, access_code: str | None = None) -> Operation:
    """Start an instance for a new case and insert both (the caller commits).

    The engine runs first, in memory, so that the case row is inserted once with what the
    process's first steps set (status, deadline, ...). `first_entries` holds ledger entries to write before the
    process's own (e.g. the registration).
    """
    workflow, log = _started(version, data)
    case = CaseState(0, case_row["number"], case_row["status"], case_row["department_id"], category=case_row["category"])
    op = Operation(0, 1, case, workflow, actor, log=log, ledger=list(first_entries or []), access_code=access_code)
    op.record("process.started", process=version.key, version=version.version)
    apply_case_updates(op)
    case.id = sql(_INSERT_CASE, {**case_row, **case.changes}).scalar_one()
    case.changes.clear()
    _store_new_instance(op, version)
    return op


def start_on_case(case: CaseState, version, actor: str, data: dict[str, Any]) -> Operation:
    """Start a further process on an existing case (the caller commits): reclassification, say."""
    workflow, log = _started(version, data)
    op = Operation(0, 1, case, workflow, actor, log=log)
    op.record("process.started", process=version.key, version=version.version)
    apply_case_updates(op)
    _store_new_instance(op, version)
    return op


def _started(version, data: dict[str, Any]):
    spec, subprocess_specs = spec_for(version.spec_hash)
    log = engine.StepLog()
    try:
        with log.recording():
            workflow = engine.start_instance(spec, subprocess_specs, script_engine(), data)
    except engine.ScriptError as exc:
        raise errors.ProcessFailedError(T('the process failed to start: %(exc)s', exc=exc)) from exc
    return workflow, log


def _store_new_instance(op: Operation, version) -> None:
    now, completed = utcnow(), engine.is_completed(op.workflow)
    op.instance_id = sql(_INSERT_INSTANCE, {
        "case_id": op.case.id, "process_version_id": version.id, "state": engine.state_to_json(op.workflow),
        "completed": completed, "lock_version": 1, "created_at": now, "updated_at": now,
    }).scalar_one()
    project_tasks_and_timers(op)
    write_case(op)
    if completed:
        op.record("process.completed")
    ledger.write(op.case.id, op.actor, ledger.said_once(op.ledger))
    if op.access_code is None:  # a new case: registration tells once the petitioner's row is in
        tell_petitioner(op)


def tell_petitioner(op: Operation, step: str | None = None) -> None:
    """The messages the petitioner is owed for what this operation did (receipt, acceptance, answer, ...)."""
    step = step or f"{op.instance_id}.1"
    events = events_of(op.ledger, op.case.answer)
    if events:
        tell(op.case.id, events, step, access_code=op.access_code)


@contextmanager
def instance_operation(instance_id: int, actor: str):
    """Load an instance, let the caller act on it, then save everything or nothing (one transaction, joined
    when the caller has one open)."""
    with transaction():
        op = load(instance_id, actor)
        yield op
        save(op)


def load(instance_id: int, actor: str) -> Operation:
    row = sql(_LOAD, {"instance_id": instance_id}).first()
    if row is None:
        raise errors.NotFoundError(T('no process instance %(instance_id)s', instance_id=instance_id))
    spec, subprocess_specs = spec_for(row.spec_hash)
    workflow = engine.state_from_json(row.state, spec, subprocess_specs, script_engine())
    ready = {t.id: t for t in engine.ready_human_tasks(workflow)}
    timers = {t.task_id: t for t in engine.pending_timers(workflow)}
    case = CaseState(**{name: getattr(row, name) for name in CASE_FIELDS})
    return Operation(instance_id, row.lock_version, case, workflow, actor, ready_before=ready, timers_before=timers)


def ready_task_data(instance_id: int, task_id: str) -> dict[str, Any]:
    """What a ready task's data holds (the values earlier steps set), read without changing anything; {} when the
    task is no longer waiting."""
    op = load(instance_id, SYSTEM)
    try:
        return engine.task_data(op.workflow, task_id)
    except engine.TaskNotReadyError:
        return {}


def run_engine(op: Operation, action: Callable[[], Any]) -> Any:
    """Run one engine step, recording what it did and turning its failures into domain errors."""
    try:
        with op.log.recording():
            return action()
    except engine.TaskNotReadyError as exc:
        raise errors.TaskNotReadyError(str(exc)) from exc
    except engine.NothingWaitingError as exc:
        raise errors.NothingWaitingError(str(exc)) from exc
    except engine.ScriptError as exc:
        raise errors.ProcessFailedError(T('the process failed: %(exc)s', exc=exc)) from exc


def save(op: Operation) -> None:
    """Write state (guarded by the version read), case fields, the task and timer projections, the ledger."""
    workflow = op.workflow
    apply_case_updates(op)
    if op.actor != SYSTEM:
        op.case.changes["last_activity_at"] = utcnow()  # what "stalled" is measured from
    completed = engine.is_completed(workflow)
    result = sql(_SAVE_INSTANCE, {
        "b_id": op.instance_id, "b_lock_version": op.lock_version, "state": engine.state_to_json(workflow),
        "completed": completed, "lock_version": op.lock_version + 1, "updated_at": utcnow(),
    })
    if result.rowcount != 1:
        raise errors.StaleStateError(T('the case was changed meanwhile; reload and try again'))
    project_tasks_and_timers(op)
    write_case(op)
    if completed:
        op.record("process.completed")
    ledger.write(op.case.id, op.actor, ledger.said_once(op.ledger))
    tell_petitioner(op, f"{op.instance_id}.{op.lock_version + 1}")
    if op.reclassified:
        _continue_in_new_category(op, completed)


def _continue_in_new_category(op: Operation, completed: bool) -> None:
    """After `set_case(category=...)` the case goes on in that category's process: same number, same ledger."""
    if not completed:
        raise errors.ProcessFailedError(T('the process reclassified the case but did not end; end the flow after set_case(category=...)'))
    row = sql(select(_cases.c.channel, _cases.c.received_at).where(_cases.c.id == op.case.id)).one()
    code = getattr(department_by_id(op.case.department_id), "code", None)
    version = active_version(process_for_category(op.reclassified))
    case = CaseState(**{name: getattr(op.case, name) for name in CASE_FIELDS})
    continued = start_on_case(case, version, op.actor, start_data(
        case_number=case.number, category=op.reclassified, channel=row.channel,
        received_at=row.received_at.isoformat(), department=code))
    op.new_tasks.extend(continued.new_tasks)  # the caller reports them as what comes next
