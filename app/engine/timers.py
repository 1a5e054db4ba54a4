"""The timers an instance waits for (BPMN timer events, a timer behind an event-based gateway included): their due
times, moved when a deadline pauses or is extended, and their expressions evaluated again when the calendar changes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.exceptions import WorkflowException
from SpiffWorkflow.util.task import TaskState

from .runtime import script_error
from .scripts.budget import step_budget


@dataclass(frozen=True)
class PendingTimer:
    task_id: str
    name: str
    title: str
    due_at: datetime
    attached_to: str | None
    interrupting: bool
    properties: dict[str, str] = field(default_factory=dict)
    unit: str = "calendar"  # 'working' when its expression counted working days


def pending_timers(workflow: BpmnWorkflow) -> list[PendingTimer]:
    timers = []
    for task in workflow.event_manager.tasks.values():
        if timer_definition(task.task_spec) is None or not task.has_state(TaskState.WAITING):
            continue
        value = task.internal_data.get("event_value")
        due = _parse_due(value)
        if due is None:
            continue
        attached = getattr(task.task_spec, "_attached_to_name", None)
        parent = task.parent
        if parent is not None and parent.task_spec.name.endswith(".BoundaryEventSplit"):
            attached = parent.task_spec.name[: -len(".BoundaryEventSplit")]
        spec = task.task_spec
        own = isinstance(spec.event_definition, TimerEventDefinition)  # else behind an event-based gateway
        timers.append(
            PendingTimer(
                task_id=str(task.id),
                name=spec.name,
                title=(spec.bpmn_name if own else timer_definition(spec).name) or spec.name,
                due_at=due,
                attached_to=attached,
                interrupting=getattr(spec, "cancel_activity", True) is not False,
                properties=dict(getattr(spec, "extensions", {}).get("properties", {})),
                unit=task.internal_data.get("unit", "calendar"),
            )
        )
    return timers


def timer_definition(task_spec) -> TimerEventDefinition | None:
    """A waiting task's timer: its own, or the one among the events an event-based gateway waits for (SpiffWorkflow
    combines them into one definition on the gateway, whose task keeps the timer's due time)."""
    definition = getattr(task_spec, "event_definition", None)
    if isinstance(definition, TimerEventDefinition):
        return definition
    for inner in getattr(definition, "event_definitions", None) or ():
        if isinstance(inner, TimerEventDefinition):
            return inner
    return None


def move_timer(workflow: BpmnWorkflow, timer_task_id: str, due: datetime) -> None:
    """Rewrite a waiting timer's cached due time (pausing or extending a deadline)."""
    task = workflow.get_task_from_id(UUID(timer_task_id))
    value = task.internal_data.get("event_value")
    if isinstance(value, dict):  # a cycle: move its next firing
        value = dict(value, next=due.isoformat())
    else:
        value = due.isoformat()
    task.internal_data["event_value"] = value


def reevaluate_timer(workflow: BpmnWorkflow, timer_task_id: str) -> str:
    """Evaluate a waiting timer's expression again in its task's context (the caller sets the clock)."""
    task = workflow.get_task_from_id(UUID(timer_task_id))
    try:
        with step_budget():
            return workflow.script_engine.evaluate(task, timer_definition(task.task_spec).expression)
    except WorkflowException as exc:
        raise script_error(exc) from exc


def timer_expression(workflow: BpmnWorkflow, timer_task_id: str) -> str:
    definition = timer_definition(workflow.get_task_from_id(UUID(timer_task_id)).task_spec)
    return (definition.expression if definition is not None else "") or ""


def after_duration(text: str, start: datetime) -> datetime | None:
    """`start` plus an ISO-8601 duration such as P3D or PT4H; None when `text` is not one."""
    if not isinstance(text, str) or not text.strip().startswith("P"):
        return None
    try:
        parsed = TimerEventDefinition.parse_iso_duration(text.strip())
    except Exception:  # the parser raises a bare Exception for anything it does not read
        return None
    return start + TimerEventDefinition.get_timedelta_from_start(parsed, start)


def _parse_due(value: Any) -> datetime | None:
    if isinstance(value, dict):
        value = value.get("next")
    if not isinstance(value, str):
        return None
    due = datetime.fromisoformat(value)
    if due.tzinfo is None:
        due = due.astimezone()
    return due.astimezone(UTC)


