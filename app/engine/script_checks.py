"""Deploy-time checks of what scripts do to the case: `set_case(...)` calls and the legacy `case_status`."""

from __future__ import annotations

import ast
from collections.abc import Iterable

from app.text import T

from .errors import BpmnProblem
from .sample_data import script_nodes
from .steps import CASE_FIELDS as SET_CASE_FIELDS  # the keywords set_case accepts: the case fields a step may set

LEGACY_STATUS_NAME = "case_status"


def check_case_fields(
    task_spec, element: str, known_statuses: set[str] | None, reject_legacy_case_status: bool = False
) -> list[BpmnProblem]:
    """Problems in the task's scripts: unknown set_case keywords or status names, and (optionally) `case_status = ...`."""
    problems: list[BpmnProblem] = []
    for node in script_nodes(task_spec):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "set_case":
            problems.extend(_check_set_case(node, element, known_statuses))
        elif reject_legacy_case_status and _assigns(node, LEGACY_STATUS_NAME):
            problems.append(BpmnProblem(element, T('set the case status with set_case(status=...)')))
    return problems


def _check_set_case(call: ast.Call, element: str, known_statuses: set[str] | None) -> Iterable[BpmnProblem]:
    if call.args:
        yield BpmnProblem(element, T("set_case takes keywords only, e.g. set_case(status='handling')"))
    for keyword in call.keywords:
        if keyword.arg is None:
            continue  # **fields: checked at run time
        if keyword.arg not in SET_CASE_FIELDS:
            allowed = ", ".join(sorted(SET_CASE_FIELDS))
            yield BpmnProblem(element, T("set_case has no field '%(arg)s' (fields: %(allowed)s)", arg=keyword.arg, allowed=allowed))
        elif keyword.arg == "status" and known_statuses is not None:
            value = keyword.value
            if isinstance(value, ast.Constant) and isinstance(value.value, str) and value.value not in known_statuses:
                names = ", ".join(sorted(known_statuses))
                yield BpmnProblem(element, T("set_case(status='%(value)s'): no such case status (statuses: %(names)s)",
                                             value=value.value, names=names))


def _assigns(node: ast.AST, name: str) -> bool:
    return isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Store)


def check_endless_loops(task_spec, element: str) -> list[BpmnProblem]:
    """`while True:` with no break or return in its body never ends (the run-time budget would stop it)."""
    problems: list[BpmnProblem] = []
    for node in script_nodes(task_spec):
        if isinstance(node, ast.While) and _always_true(node.test) and not _leaves(node.body):
            problems.append(BpmnProblem(element, T('the loop on line %(lineno)s never ends (while without break)', lineno=node.lineno)))
    return problems


def _always_true(test: ast.expr) -> bool:
    return isinstance(test, ast.Constant) and bool(test.value)


def _leaves(body: list[ast.stmt]) -> bool:
    """A break of this loop (not of a nested one), a return or a raise somewhere in the body."""
    for statement in body:
        for node in _walk_outside_loops(statement):
            if isinstance(node, ast.Break | ast.Return | ast.Raise):
                return True
    return False


def _walk_outside_loops(node: ast.AST):
    yield node
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.For | ast.While):
            yield from (n for n in ast.walk(child) if isinstance(n, ast.Return | ast.Raise))
        elif not isinstance(child, ast.FunctionDef | ast.Lambda):
            yield from _walk_outside_loops(child)
