"""What one engine step did, taken from the engine itself rather than inferred afterwards.

A `StepLog` is active while the service runs the engine (`with log.recording(): ...`). It collects
- the case updates scripts asked for with `set_case(...)`, in the order the scripts ran, and
- the ids of the engine tasks that completed (user tasks, script tasks, fired timer events, ...).
Saving turns these into case fields, ledger entries and projections: a timer is "fired" only when
its event task ran, a case field changes only when a step set it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

# The case fields a process may set, and nothing else.
CASE_FIELDS = frozenset({"status", "department", "answer", "due", "due_reason", "satisfaction", "satisfaction_comment",
                         "satisfaction_source", "follow_up", "accept_by", "answer_by", "category", "statement"})

_current: ContextVar[StepLog | None] = ContextVar("minyi_step_log", default=None)


@dataclass
class StepLog:
    case_updates: list[dict[str, Any]] = field(default_factory=list)
    completed: list[str] = field(default_factory=list)

    @contextmanager
    def recording(self) -> Iterator[StepLog]:
        token = _current.set(self)
        try:
            yield self
        finally:
            _current.reset(token)

    def completed_ids(self) -> frozenset[str]:
        return frozenset(self.completed)


def set_case(**fields: Any) -> None:
    """BPMN helper: set case fields, e.g. `set_case(status='handling', department=department)`.

    Only the fields named change, to exactly these values, when the step that called it is saved.
    """
    unknown = sorted(set(fields) - CASE_FIELDS)
    if unknown:
        raise ValueError(f"set_case() got unknown field(s) {', '.join(unknown)}; allowed: {', '.join(sorted(CASE_FIELDS))}")
    log = _current.get()
    if log is not None:
        log.case_updates.append(dict(fields))


def task_completed(task) -> None:
    """do_engine_steps hook: note every task the engine ran."""
    log = _current.get()
    if log is not None:
        log.completed.append(str(task.id))
