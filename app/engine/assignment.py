"""Who a diagram says does a user task, beyond its lane: Camunda 7's `candidateGroups`, `candidateUsers` and
`assignee` (kept in the task spec's extensions by the parser). Each is a comma-separated list of names or holds
`${expression}` / `#{expression}` parts evaluated in the task's data (a list value gives several names).
SpiffWorkflow's (spiff-arena's) way is the lane plus `lane_owners` in the data -- {lane name: [usernames]} --
read here as the lane's candidate users."""

from __future__ import annotations

import re
from dataclasses import dataclass

_EXPRESSION = re.compile(r"^\s*[$#]\{(.*)\}\s*$", re.DOTALL)


@dataclass(frozen=True)
class Candidates:
    groups: tuple[str, ...] = ()
    users: tuple[str, ...] = ()
    assignee: str | None = None


def candidates_of(task) -> Candidates:
    """The task's candidate groups and users and its assignee, expressions evaluated in its data (an expression
    that fails gives no names: lint checks the names they read)."""
    extensions = getattr(task.task_spec, "extensions", None) or {}
    groups = _names(task, extensions.get("candidateGroups"))
    users = _names(task, extensions.get("candidateUsers")) or _lane_owners(task)
    assignee = _names(task, extensions.get("assignee"))
    return Candidates(groups, users, assignee[0] if assignee else None)


def static_names(value: str | None) -> tuple[str, ...]:
    """The names a value states outright (its expressions left out): what lint can check before any case runs."""
    if not value or _EXPRESSION.match(value):
        return ()
    return tuple(n.strip() for n in value.split(",") if n.strip() and "{" not in n)


def expression_of(value: str | None) -> str | None:
    found = _EXPRESSION.match(value or "")
    return found.group(1).strip() if found else None


def _lane_owners(task) -> tuple[str, ...]:
    owners = task.data.get("lane_owners") if isinstance(task.data, dict) else None
    lane = task.task_spec.lane
    if not isinstance(owners, dict) or lane is None or not isinstance(owners.get(lane), list | tuple):
        return ()
    return tuple(str(n).strip() for n in owners[lane] if str(n).strip())


def _names(task, value: str | None) -> tuple[str, ...]:
    if not value:
        return ()
    expression = expression_of(value)
    if expression is None:
        return static_names(value)
    try:
        result = task.workflow.script_engine.evaluate(task, expression)
    except Exception:
        return ()
    if isinstance(result, str):
        return tuple(n.strip() for n in result.split(",") if n.strip())
    if isinstance(result, list | tuple | set):
        return tuple(str(n).strip() for n in result if str(n).strip())
    return ()
