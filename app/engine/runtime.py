"""Running instances: start, complete human tasks, send messages, wake timers, and read the human tasks an instance
waits for (with their effective lane and who the diagram says does them); its timers are read in timers.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnEvent, BpmnWorkflow
from SpiffWorkflow.bpmn.specs.event_definitions.message import MessageEventDefinition as BpmnMessageEventDefinition
from SpiffWorkflow.exceptions import WorkflowException
from SpiffWorkflow.spiff.specs.event_definitions import MessageEventDefinition
from SpiffWorkflow.util.task import TaskState

from .assignment import Candidates, candidates_of
from .errors import NothingWaitingError, ScriptError, TaskNotReadyError
from .scripts.budget import LINT_ITERATIONS, LINT_SECONDS, step_budget
from .scripts.sandbox import element_of
from .steps import task_completed


@dataclass(frozen=True)
class HumanTask:
    """A user task waiting for a person."""

    id: str
    name: str
    title: str
    lane: str | None
    form: str | None
    properties: dict[str, str] = field(default_factory=dict)
    documentation: str | None = None
    department: str | None = None  # a multi-instance child's own department, from its item
    candidates: Candidates = field(default_factory=Candidates)  # candidate groups/users, assignee (assignment.py)


def start_instance(spec, subprocess_specs, script_engine, data: dict[str, Any] | None = None) -> BpmnWorkflow:
    """Create an instance and run it to its first wait state."""
    workflow = BpmnWorkflow(spec, subprocess_specs, script_engine=script_engine)
    if data:
        workflow.get_tasks(state=TaskState.READY)[0].set_data(**data)
    with step_budget():
        _run(workflow)
    return workflow


def start_data_of(workflow: BpmnWorkflow) -> dict[str, Any]:
    """The data an instance was started with (kept on its first task)."""
    first = next((t for t in workflow.get_tasks() if t.task_spec.name == "Start" and t.workflow is workflow), None)
    return dict(first.data) if first is not None else {}


def complete_task(workflow: BpmnWorkflow, task_id: str, data: dict[str, Any]) -> None:
    """Complete a ready human task with form data and run on to the next wait state."""
    task = _ready_human_task(workflow, task_id)
    task.set_data(**data)
    with step_budget():
        try:
            task.run()
        except WorkflowException as exc:
            raise script_error(exc) from exc
        task_completed(task)
        _run(workflow)


def send_message(workflow: BpmnWorkflow, name: str, payload: dict[str, Any] | None = None) -> None:
    """Deliver a named message; raises NothingWaitingError when nothing waits for it."""
    event = BpmnEvent(MessageEventDefinition(name), payload=payload or {})
    with step_budget():
        try:
            workflow.send_event(event)
        except WorkflowException as exc:
            raise NothingWaitingError(str(exc)) from exc
        _run(workflow)


def waits_for_message(workflow: BpmnWorkflow, name: str) -> bool:
    """Whether the instance has a catch event waiting for the message `name` right now."""
    return name in waiting_messages(workflow)


def waiting_messages(workflow: BpmnWorkflow) -> list[str]:
    """The names of the messages the instance's catch events wait for right now (an event-based gateway's too)."""
    names = set()
    for task in workflow.get_tasks(state=TaskState.WAITING):
        definition = getattr(task.task_spec, "event_definition", None)
        for inner in [definition, *(getattr(definition, "event_definitions", None) or ())]:
            if isinstance(inner, BpmnMessageEventDefinition) and inner.name:
                names.add(inner.name)
    return sorted(names)


def cancel_instance(workflow: BpmnWorkflow) -> None:
    """End the instance: every open task and waiting event is cancelled."""
    workflow.cancel()


def wake_timers(workflow: BpmnWorkflow) -> None:
    """Fire every timer whose time has come (compared with the real clock, in UTC)."""
    with step_budget():
        try:
            workflow.refresh_timers()
        except WorkflowException as exc:
            raise script_error(exc) from exc
        _run(workflow)


def is_completed(workflow: BpmnWorkflow) -> bool:
    return workflow.is_completed()


def task_state(workflow: BpmnWorkflow, task_id: str) -> str | None:
    """'ready', 'waiting', 'completed', 'cancelled', ... for a task the engine knows; None when it is gone."""
    try:
        task = workflow.get_task_from_id(UUID(str(task_id)))
    except (ValueError, KeyError, WorkflowException):
        return None
    return TaskState.get_name(task.state).lower() if task is not None else None


def evaluate_in_task(workflow: BpmnWorkflow, task_id: str, expression: str) -> Any:
    """Evaluate an expression in a task's data (a user task's `due`, say)."""
    task = workflow.get_task_from_id(UUID(str(task_id)))
    try:
        # The budget lint gave it: the service evaluates `due` while saving, inside its transaction.
        with step_budget(LINT_ITERATIONS, LINT_SECONDS):
            return workflow.script_engine.evaluate(task, expression)
    except WorkflowException as exc:
        raise ScriptError(f"{task.task_spec.name}: {exc}") from exc


def ready_human_tasks(workflow: BpmnWorkflow) -> list[HumanTask]:
    return [_human_task(t) for t in workflow.get_tasks(state=TaskState.READY, manual=True)]


def task_data(workflow: BpmnWorkflow, task_id: str) -> dict[str, Any]:
    return dict(_ready_human_task(workflow, task_id).data)


def _ready_human_task(workflow: BpmnWorkflow, task_id: str):
    try:
        task = workflow.get_task_from_id(UUID(str(task_id)))
    except (ValueError, KeyError, WorkflowException):
        task = None
    if task is None or not task.task_spec.manual or task.state != TaskState.READY:
        raise TaskNotReadyError(f"task {task_id} is not waiting for a person")
    return task


def _run(workflow: BpmnWorkflow) -> None:
    try:
        workflow.do_engine_steps(did_complete_task=task_completed)
    except WorkflowException as exc:
        raise script_error(exc) from exc


def script_error(exc: WorkflowException) -> ScriptError:
    """SpiffWorkflow's error as a ScriptError whose message names the element it happened in."""
    task_spec = getattr(exc, "task_spec", None)
    return ScriptError(f"{element_of(task_spec)}: {exc}" if task_spec is not None else str(exc))


def _effective_lane(task) -> str | None:
    lane = task.task_spec.lane
    while lane is None:
        parent_id = getattr(task.workflow, "parent_task_id", None)
        if parent_id is None:
            return None
        task = task.workflow.top_workflow.get_task_from_id(parent_id)
        if task is None:
            return None
        lane = task.task_spec.lane
    return lane


def spec_properties(task_spec) -> dict[str, str]:
    """A task spec's properties (spiff properties, camunda:properties)."""
    return dict((getattr(task_spec, "extensions", None) or {}).get("properties", {}))


def spec_form(task_spec) -> str | None:
    """The form a user task names: camunda:formKey, or a formKey/form property."""
    extensions = getattr(task_spec, "extensions", None) or {}
    properties = extensions.get("properties", {})
    return extensions.get("formKey") or properties.get("formKey") or properties.get("form")


def _human_task(task) -> HumanTask:
    spec = task.task_spec
    name = spec.name.removesuffix(" [child]")
    return HumanTask(
        id=str(task.id),
        name=name,
        title=spec.bpmn_name or name,
        lane=_effective_lane(task),
        form=spec_form(spec),
        properties=spec_properties(spec),
        documentation=getattr(spec, "documentation", None),
        department=_item_department(task),
        candidates=candidates_of(task),
    )


def _item_department(task) -> str | None:
    """A multi-instance child's department: its item, or the item's `department`."""
    parent = task.parent
    item_ref = getattr(parent.task_spec, "input_item", None) if parent is not None else None
    if item_ref is None:
        return None
    item = task.data.get(item_ref.bpmn_id)
    if isinstance(item, dict):
        item = item.get("department")
    return item if isinstance(item, str) and item else None
