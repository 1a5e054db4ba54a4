"""The unit of work around a process instance: load -> act -> save state, projections,
case fields and ledger entries in one transaction, guarded by the instance's version column."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import contains_eager
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from app import engine
from app.extensions import db
from app.models import FINAL_STATUSES, TRANSITIONS, Case, LedgerEntry, ProcessInstance, Task, utcnow

from . import errors
from .processes import spec_for
from .reference import departments, lane_groups
from .scripting import script_engine


@dataclass
class Operation:
    """An instance loaded for one operation; `ledger` collects entries written at save."""

    instance: ProcessInstance
    case: Case
    workflow: Any
    actor: str
    ready_before: frozenset[str] = frozenset()
    handled: set[str] = field(default_factory=set)
    new_tasks: list[Task] = field(default_factory=list)
    ledger: list[dict[str, Any]] = field(default_factory=list)

    def record(self, action: str, **details: Any) -> None:
        self.ledger.append({"action": action, "details": details})


def start_process(case: Case, version, actor: str, data: dict[str, Any]) -> Operation:
    """Start an instance for a new case (the caller commits)."""
    spec, subprocess_specs = spec_for(version)
    try:
        workflow = engine.start_instance(spec, subprocess_specs, script_engine(), data)
    except engine.ScriptError as exc:
        raise errors.ProcessFailedError(f"the process failed to start: {exc}") from exc
    instance = ProcessInstance(case=case, process_version=version, state="")  # written by save()
    db.session.add(instance)
    op = Operation(instance, case, workflow, actor)
    op.record("process.started", process=version.key, version=version.version)
    return op


@contextmanager
def instance_operation(instance_id: int, actor: str):
    """Load an instance, let the caller act on it, then save everything or nothing."""
    op = load(instance_id, actor)
    try:
        yield op
        save(op)
        db.session.commit()
    except StaleDataError as exc:
        db.session.rollback()
        raise errors.StaleStateError("the case was changed meanwhile; reload and try again") from exc
    except OperationalError as exc:
        db.session.rollback()
        if "locked" in str(exc).lower() or "could not serialize" in str(exc).lower():
            raise errors.StaleStateError("the case is being changed by someone else; try again") from exc
        raise
    except BaseException:
        db.session.rollback()
        raise


def load(instance_id: int, actor: str) -> Operation:
    instance = db.session.scalar(
        select(ProcessInstance)
        .join(ProcessInstance.case)
        .options(contains_eager(ProcessInstance.case))
        .where(ProcessInstance.id == instance_id)
    )
    if instance is None:
        raise errors.NotFoundError(f"no process instance {instance_id}")
    spec, subprocess_specs = spec_for(instance.process_version)
    workflow = engine.state_from_json(instance.state, spec, subprocess_specs, script_engine())
    ready = frozenset(t.id for t in engine.ready_human_tasks(workflow))
    return Operation(instance, instance.case, workflow, actor, ready_before=ready)


def run_engine(op: Operation, action: Callable[[], None]) -> None:
    """Run one engine step, turning its failures into domain errors."""
    try:
        action()
    except engine.TaskNotReadyError as exc:
        raise errors.TaskNotReadyError(str(exc)) from exc
    except engine.NothingWaitingError as exc:
        raise errors.NothingWaitingError(str(exc)) from exc
    except engine.ScriptError as exc:
        raise errors.ProcessFailedError(f"the process failed: {exc}") from exc


def save(op: Operation) -> None:
    """Write state, the task projection, case fields and the ledger of this operation."""
    instance, workflow = op.instance, op.workflow
    department_code = _project_case(op, engine.instance_data(workflow))
    instance.state = engine.state_to_json(workflow)
    instance.completed = engine.is_completed(workflow)
    if instance.id is None:
        db.session.flush()  # the new case and instance need their ids for the rows below
    else:
        flag_modified(instance, "state")  # always UPDATE ... WHERE lock_version = the version read
    _project_tasks(op, department_code)
    if instance.completed:
        op.record("process.completed")
    write_ledger(op.case.id, op.actor, op.ledger)


def write_ledger(case_id: int, actor: str, entries: list[dict[str, Any]]) -> None:
    """Append entries in one multi-row INSERT."""
    if entries:
        now = utcnow()
        db.session.execute(
            insert(LedgerEntry),
            [{"case_id": case_id, "at": now, "actor": actor, "action": e["action"], "details": e["details"]} for e in entries],
        )


def _project_case(op: Operation, data: dict[str, Any]) -> str | None:
    """Copy what the process decided onto the case; returns the case's department code."""
    case = op.case
    status = data.get("case_status")
    if status and status != case.status:
        if status not in TRANSITIONS.get(case.status, ()):
            raise errors.ProcessFailedError(f"the process moved the case from '{case.status}' to '{status}', which is not allowed")
        op.record("case.status_changed", **{"from": case.status, "to": status})
        case.status = status
        if status in FINAL_STATUSES:
            case.closed_at = utcnow()
    code = data.get("department")
    if code:
        department = departments().get(code)
        if department is None:
            raise errors.ProcessFailedError(f"the process routed the case to an unknown department '{code}'")
        if case.department_id != department.id:
            op.record("case.routed", department=code)
            case.department_id = department.id
    for attr in ("answer", "satisfaction", "satisfaction_comment"):
        value = data.get(attr)
        if value is not None and getattr(case, attr) != value:
            setattr(case, attr, value)
    return code or next((d.code for d in departments().values() if d.id == case.department_id), None)


def _project_tasks(op: Operation, department: str | None) -> None:
    """Insert newly ready human tasks; cancel projected ones the engine no longer waits on.

    The projection is derived from the states before and after the operation, so no read is needed.
    Tasks the operation itself closed (completed) are in `op.handled`.
    """
    ready = {t.id: t for t in engine.ready_human_tasks(op.workflow)}
    gone = [task_id for task_id in op.ready_before if task_id not in ready and task_id not in op.handled]
    if gone:
        db.session.execute(
            update(Task)
            .where(Task.id.in_(gone), Task.state.in_(("ready", "claimed")))
            .values(state="cancelled", completed_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        for task_id in gone:
            op.record("task.cancelled", task=task_id)
    lanes = lane_groups()
    for task_id, human in ready.items():
        if task_id in op.ready_before:
            continue
        row = Task(
            id=task_id,
            case_id=op.case.id,
            instance_id=op.instance.id,
            name=human.name,
            title=human.title,
            lane=human.lane,
            group=_group_for(human.lane, lanes, department),
            form=human.form,
            state="ready",
            created_at=utcnow(),
        )
        db.session.add(row)
        op.new_tasks.append(row)
        op.record("task.created", task=task_id, name=human.name, title=human.title)


def _group_for(lane: str | None, lanes: dict, department: str | None) -> str | None:
    rule = lanes.get(lane) if lane else None
    if rule is None:
        return None
    return f"{rule.role}@{department}" if rule.department_scoped and department else rule.role
