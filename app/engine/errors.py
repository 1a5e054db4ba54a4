"""Errors raised by the engine package; the service layer maps them to domain errors."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BpmnProblem:
    element: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"element": self.element, "message": self.message}


class EngineError(Exception):
    """Base class for engine failures."""


class BpmnRejectedError(EngineError):
    def __init__(self, problems: list[BpmnProblem]):
        self.problems = problems
        super().__init__("; ".join(f"{p.element}: {p.message}" for p in problems))


class TaskNotReadyError(EngineError):
    """The task is not waiting for a person (done, cancelled, or unknown)."""


class NothingWaitingError(EngineError):
    """A message was sent to an instance that waits for no such message."""


class ScriptError(EngineError):
    """An expression or script failed while the process ran."""


class ScriptBudgetError(ScriptError):
    """A script, condition or expression exceeded its budget (loop iterations, run time, result size)."""


class ScriptDataError(ScriptError):
    """A script left a value in task data that is not JSON (a generator, bytes, a set, a huge int, ...)."""
