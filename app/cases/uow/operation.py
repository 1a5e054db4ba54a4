"""One operation on a process instance: the case columns it reads and may change, and what it did.

Kept apart from workflow.py (which loads and saves) so that the projections and the SLA policy can
work on an operation without importing the unit of work that calls them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app import engine

from .. import ledger

CASE_FIELDS = ("id", "number", "status", "department_id", "due_at", "due_unit", "accept_by", "answer_by", "answer",
               "satisfaction", "satisfaction_comment", "satisfaction_source", "follow_up", "held_since", "category")


@dataclass
class CaseState:
    """The case columns a process operation reads and may change; `changes` is what save writes."""

    id: int
    number: str
    status: str
    department_id: int | None
    due_at: Any = None
    due_unit: str = "calendar"
    accept_by: Any = None
    answer_by: Any = None
    answer: str | None = None
    satisfaction: int | None = None
    satisfaction_comment: str | None = None
    satisfaction_source: str | None = None
    follow_up: str | None = None
    held_since: Any = None
    category: str | None = None
    changes: dict[str, Any] = field(default_factory=dict)

    def set(self, name: str, value: Any) -> None:
        if getattr(self, name) != value:
            setattr(self, name, value)
            self.changes[name] = value


@dataclass
class Operation:
    """An instance loaded for one operation; what it did is written at save.

    `ready_before` and `timers_before` are the engine's human tasks and BPMN timers at load;
    `log` records what the engine ran (case updates, completed tasks); `handled` holds the tasks
    this operation closed itself; `dropped_timers` the timer rows to delete (fired or gone).
    """

    instance_id: int
    lock_version: int
    case: CaseState
    workflow: Any
    actor: str
    ready_before: dict[str, Any] = field(default_factory=dict)
    timers_before: dict[str, Any] = field(default_factory=dict)
    log: engine.StepLog = field(default_factory=engine.StepLog)
    shifting: bool = False  # timers moved on purpose (resume, recomputation): not fired
    handled: set[str] = field(default_factory=set)
    dropped_timers: set[str] = field(default_factory=set)
    new_tasks: list[dict[str, Any]] = field(default_factory=list)
    new_offers: list[dict[str, Any]] = field(default_factory=list)  # {username, task_id}: tasks offered to several
    alerts: list[dict[str, Any]] = field(default_factory=list)  # notifications of tasks whose `alert` holds
    ledger: list[dict[str, Any]] = field(default_factory=list)
    reclassified: str | None = None  # the category the process handed the case on to
    access_code: str | None = None  # a new case's code, for the petitioner's receipt (never stored in clear)

    def record(self, action: str, **details: Any) -> None:
        self.ledger.append(ledger.entry(action, **details))
