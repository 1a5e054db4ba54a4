"""Moving a running instance onto another version of its process (SpiffWorkflow's spec diff).

Safe to move: no task that ran or runs (completed, started, failed) sits on a changed or removed
element, and no task the case is on now (a ready or waiting user task) does either. SpiffWorkflow
resets every ready and waiting branch when it migrates, which re-evaluates timer expressions and
drops a ready task's data; Minyi puts back what did not change (a timer's cached due time and unit,
a ready task's data), so a statutory deadline never moves because some other element changed.
"""

from __future__ import annotations

from copy import deepcopy
from dataclasses import dataclass, field
from threading import Lock

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.specs.mixins.multiinstance_task import LoopTask
from SpiffWorkflow.bpmn.util.diff import diff_workflow, migrate_workflow
from SpiffWorkflow.exceptions import WorkflowException
from SpiffWorkflow.util.task import TaskState

from app.text import Items, T

from .errors import EngineError
from .runtime import script_error
from .scripts.budget import step_budget
from .serialization import serializer

_wiring = Lock()
RAN = TaskState.COMPLETED | TaskState.STARTED | TaskState.ERROR
CURRENT = TaskState.READY | TaskState.WAITING


class MigrationUnsafeError(EngineError):
    """The instance cannot move to that version; the message names the elements in the way."""


@dataclass(frozen=True)
class Obstacle:
    element: str
    state: str
    why: str  # T('removed') or T('changed (%(attributes)s)')

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> T:
        return T("'%(element)s' (%(state)s) was %(why)s", element=self.element, state=STATE_NAMES.get(self.state, self.state),
                 why=self.why)


@dataclass(frozen=True)
class MigrationCheck:
    obstacles: tuple[Obstacle, ...] = field(default_factory=tuple)

    @property
    def safe(self) -> bool:
        return not self.obstacles

    @property
    def reason(self) -> str | None:
        if self.safe:
            return None
        return T("not safe to move: %(obstacles)s", obstacles=Items([o.text for o in self.obstacles], "; "))

    @property
    def elements(self) -> list[str]:
        return sorted({o.element for o in self.obstacles})


def check_migration(workflow: BpmnWorkflow, new_spec, new_subprocess_specs: dict) -> MigrationCheck:
    """Whether the instance may move to `new_spec`, and if not which elements stand in the way."""
    return _check(*_diffs(workflow, new_spec, new_subprocess_specs), workflow)


def migrate_instance(workflow: BpmnWorkflow, new_spec, new_subprocess_specs: dict) -> MigrationCheck:
    """Move the instance onto `new_spec` in place; raises MigrationUnsafeError when it is not safe.

    Timers whose definition did not change keep their cached due time (and unit); ready and waiting
    tasks on unchanged elements keep their data. Nothing runs: a timer that is due fires at the next
    sweep, as it would have without the migration. Returns the (safe) check.
    """
    top_diff, sub_diffs = _diffs(workflow, new_spec, new_subprocess_specs)
    check = _check(top_diff, sub_diffs, workflow)
    if not check.safe:
        raise MigrationUnsafeError(check.reason)
    kept = _what_to_keep(workflow, [(workflow, top_diff), *((workflow.subprocesses[i], d) for i, d in sub_diffs.items())])
    for spec in [new_spec, *new_subprocess_specs.values()]:
        _connect_loop_children(spec)
    try:
        with step_budget():
            migrate_workflow(top_diff, workflow, new_spec)
            workflow.subprocess_specs = new_subprocess_specs
            for sp_id, diff in sub_diffs.items():
                subprocess = workflow.subprocesses.get(sp_id)
                if subprocess is not None:
                    migrate_workflow(diff, subprocess, new_subprocess_specs[subprocess.spec.name])
            _put_back(workflow, kept)
    except WorkflowException as exc:
        raise script_error(exc) from exc
    return check


def _connect_loop_children(spec) -> None:
    """A multi-instance task hears its children complete only once its spec is wired to theirs: the
    deserializer wires them, and creating a child does, but a freshly parsed spec that has not created
    one yet is not wired, so children made under the old version would finish unheard."""
    with _wiring:  # specs are shared between threads; a child wired twice would be merged twice
        for task_spec in spec.task_specs.values():
            if isinstance(task_spec, LoopTask):
                child = spec.task_specs.get(task_spec.task_spec)
                if child is not None and not child.completed_event.is_connected(task_spec.merge_child):
                    child.completed_event.connect(task_spec.merge_child)


def _diffs(workflow: BpmnWorkflow, new_spec, new_subprocess_specs: dict):
    return diff_workflow(serializer.registry, workflow, new_spec, new_subprocess_specs)


def _check(top_diff, sub_diffs: dict, workflow: BpmnWorkflow) -> MigrationCheck:
    obstacles: list[Obstacle] = []
    for sp_id, diff in sub_diffs.items():
        subprocess = workflow.subprocesses.get(sp_id)
        if diff is None and subprocess is not None:
            obstacles.append(Obstacle(_element(subprocess.spec), "started", T("removed from the called processes")))
        elif diff is not None:
            obstacles += _obstacles(diff)
    return MigrationCheck(tuple(_obstacles(top_diff) + obstacles))


def _obstacles(diff) -> list[Obstacle]:
    found = []
    for task in diff.removed:
        if task.has_state(RAN | CURRENT):
            found.append(_obstacle(task, T("removed")))
    spec_changes = _spec_changes(diff)
    for task in diff.changed:
        keys = spec_changes.get(task.task_spec.name, set())
        if task.has_state(CURRENT) and not task.has_state(RAN):
            # What follows a task the case waits on is predicted again from the new version when it is
            # reset, so a step inserted right after it is no obstacle; a change to the task itself is.
            # (A change before it shows on the completed task that led to it.)
            keys = keys - STRUCTURE
            if not (keys and task.task_spec.manual):
                continue
        elif not task.has_state(RAN):
            continue
        names = sorted({ATTRIBUTE_NAMES.get(k, k) for k in keys}, key=str)
        found.append(_obstacle(task, T("changed (%(attributes)s)", attributes=Items(names))))
    unique = {(o.element, o.state, o.why): o for o in found}
    return sorted(unique.values(), key=lambda o: (o.element, o.state))


def _obstacle(task, why: str) -> Obstacle:
    """Named by the BPMN element; the engine's own helper tasks by the element they serve."""
    spec, state = task.task_spec, _state(task)
    if getattr(spec, "bpmn_id", None):
        return Obstacle(_element(spec), state, why)
    name = spec.name
    for suffix in (".BoundaryEventSplit", ".BoundaryEventJoin"):
        if name.endswith(suffix):
            return Obstacle(name.removesuffix(suffix), state, T("changed (%(attributes)s)",
                                                                attributes=Items([T("boundary events")])))
    return Obstacle(T("the end of the process") if name.endswith(("EndJoin", "End")) else name, state, why)


def _spec_changes(diff) -> dict[str, set[str]]:
    """The serialized attributes that differ, by old spec name (WorkflowDiff keeps no SpecDiff)."""
    changes = {}
    for task in diff.changed:
        new = diff.alignment.get(task)
        if new is not None:
            old_d, new_d = serializer.registry.convert(task.task_spec), serializer.registry.convert(new)
            changes[task.task_spec.name] = {k for k in set(old_d) | set(new_d) if old_d.get(k) != new_d.get(k)}
    return changes


STRUCTURE = frozenset({"inputs", "outputs"})


# The serializer's keys as process owners call them.
ATTRIBUTE_NAMES = {
    "bpmn_name": T("name"), "extensions": T("properties (form, due, ...)"), "inputs": T("the elements before it"),
    "outputs": T("the elements after it"), "cond_task_specs": T("conditions"), "default_task_spec": T("default flow"),
    "event_definition": T("event definition"), "prescript": T("pre-script"), "postscript": T("post-script"),
    "typename": T("element type"), "task_spec": T("multi-instance child"), "data_input": T("multi-instance input"),
    "data_output": T("multi-instance output"), "input_item": T("multi-instance item"),
    "output_item": T("multi-instance output item"), "cancel_activity": T("interrupting"), "manual": T("element type"),
}
# The states a task of a running case is in, as a reason names them (SpiffWorkflow's TaskState names, lower-case).
STATE_NAMES = {"completed": T("completed"), "started": T("started"), "error": T("failed"), "ready": T("ready"),
               "waiting": T("waiting"), "cancelled": T("cancelled"), "future": T("future"), "likely": T("likely"),
               "maybe": T("maybe")}


@dataclass
class _Kept:
    data: dict
    internal_data: dict


def _what_to_keep(workflow: BpmnWorkflow, diffs) -> dict:
    """Data and internal data (cached timer values) of each ready or waiting task whose definition stays."""
    kept = {}
    for _wf, diff in diffs:
        if diff is None:
            continue
        for task, new_spec in diff.alignment.items():
            if new_spec is None or not task.has_state(CURRENT):
                continue
            same_event = _event_definition(task.task_spec) == _event_definition(new_spec)
            kept[task.id] = _Kept(deepcopy(task.data), deepcopy(task.internal_data) if same_event else {})
    return kept


def _put_back(workflow: BpmnWorkflow, kept: dict) -> None:
    for task_id, saved in kept.items():
        task = workflow.get_task_from_id(task_id)
        if task is None or not task.has_state(CURRENT):
            continue
        task.data = saved.data
        if saved.internal_data:
            task.internal_data = saved.internal_data


def _event_definition(spec):
    definition = getattr(spec, "event_definition", None)
    return None if definition is None else serializer.registry.convert(definition)


def _element(spec) -> str:
    return getattr(spec, "bpmn_id", None) or spec.name.removesuffix(" [child]")


def _state(task) -> str:
    return TaskState.get_name(task.state).lower()
