"""The data lint evaluates expressions against, built from what the process itself defines.

An instance starts with the caller's start data; user tasks add their forms' fields; scripts
assign variables; message events deliver payloads. None of it is run for real: each script
assignment `name = <expr>` is evaluated in the sandbox against the data so far, and a name
whose value cannot be worked out gets a placeholder. Timers (and `due` policies) are then
evaluated against the result, so a process that defines `review_days = 10` in a script may
use `working_days(review_days)` in a timer.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

from app.text import T

from .canonical import form_of
from .errors import BpmnProblem, ScriptBudgetError
from .parser import ParsedProcess
from .scripts.budget import LINT_ITERATIONS, LINT_SECONDS, step_budget
from .scripts.sandbox import RestrictedEnvironment

PLACEHOLDER = 1  # a value for names lint cannot work out: usable as a day count, a flag, a number
MESSAGE_PLACEHOLDER: dict[str, Any] = {}
SCRIPT_ATTRIBUTES = ("prescript", "script", "postscript")
FIELD_SAMPLES: dict[str, Any] = {
    "string": "x",
    "text": "x",
    "boolean": False,
    "date": "2026-01-05",
    "datetime": "2026-01-05T09:00:00+08:00",
    "department": "DEPT",
    "user": "user",
}

FormFields = Mapping[str, Sequence[Mapping[str, Any]]]


def lint_data(
    parsed: ParsedProcess,
    start_data: Mapping[str, Any] | None = None,
    forms: FormFields | None = None,
    helpers: Mapping[str, Callable[..., Any]] | None = None,
    problems: list[BpmnProblem] | None = None,
) -> dict[str, Any]:
    """Plausible instance data for evaluating the process's timers and `due` expressions.

    `forms` maps form id -> field descriptions ({name, type, min?, choices?: [values]}).
    Only right-hand sides of assignments are evaluated (never a loop statement), each under the
    lint budget; one that exceeds it is added to `problems`, naming its element.
    """
    data = dict(start_data or {})
    task_specs = list(flow_order(parsed))
    for task_spec in task_specs:
        data.update(form_sample(forms or {}, form_of(task_spec)))
        variable = getattr(getattr(task_spec, "event_definition", None), "message_var", None)
        if variable:
            data.setdefault(variable, dict(MESSAGE_PLACEHOLDER))
    environment = RestrictedEnvironment(helpers)
    over_budget: dict[tuple[str, str], str] = {}
    for _ in range(2):  # a second pass sees names assigned later in the flow (loops, rework)
        for task_spec in task_specs:
            for source in scripts_of(task_spec):
                for expression, message in _assign(source, data, environment):
                    over_budget[(_element(task_spec), expression)] = message
    if problems is not None:
        problems.extend(BpmnProblem(element, T("script assignment '%(expression)s' exceeds the script budget: %(message)s",
                                               expression=expression, message=message))
                        for (element, expression), message in over_budget.items())
    return data


def _element(task_spec) -> str:
    return getattr(task_spec, "bpmn_id", None) or task_spec.name.removesuffix(" [child]")


def flow_order(parsed: ParsedProcess) -> Iterable[Any]:
    """Task specs of the process and its subprocesses, breadth-first from the start, then any unreached."""
    for spec in [parsed.spec, *parsed.subprocess_specs.values()]:
        seen: dict[str, Any] = {}
        queue = [spec.start] if getattr(spec, "start", None) is not None else []
        while queue:
            current = queue.pop(0)
            if current.name in seen:
                continue
            seen[current.name] = current
            queue.extend(current.outputs)
        for name, task_spec in spec.task_specs.items():
            seen.setdefault(name, task_spec)
        yield from seen.values()


def scripts_of(task_spec) -> list[str]:
    return [s for s in (getattr(task_spec, attr, None) for attr in SCRIPT_ATTRIBUTES) if s]


def script_nodes(task_spec) -> Iterator[ast.AST]:
    """Every node of the task's scripts that parse (a script that does not is the compile check's to report)."""
    for source in scripts_of(task_spec):
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        yield from ast.walk(tree)


def form_sample(forms: FormFields, form_id: str | None) -> dict[str, Any]:
    """A plausible value for each field of a form."""
    return {f["name"]: field_sample(f) for f in forms.get(form_id or "", ())}


def field_sample(field: Mapping[str, Any]) -> Any:
    kind = field.get("type")
    if kind in ("integer", "number"):
        return field.get("min") if field.get("min") is not None else 1
    if kind in ("choice", "multichoice"):
        first = next(iter(field.get("choices") or []), "x")
        return first if kind == "choice" else [first]
    return FIELD_SAMPLES.get(kind or "", "x")


def _assign(source: str, data: dict[str, Any], environment: RestrictedEnvironment) -> list[tuple[str, str]]:
    """Evaluate the script's assignments into `data`; returns (expression, message) for each over budget."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []  # the compile check reports it
    over_budget: list[tuple[str, str]] = []
    for node in _statements(tree.body):
        if isinstance(node, ast.Assign):
            value = _evaluate(node.value, data, environment, over_budget)
            for target in node.targets:
                for name in _names(target):
                    data[name] = value if isinstance(target, ast.Name) else PLACEHOLDER
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            for name in _names(node.target):
                data[name] = _evaluate(node.value, data, environment, over_budget)
        elif isinstance(node, ast.AugAssign | ast.For | ast.AsyncFor):
            for name in _names(node.target):
                data.setdefault(name, PLACEHOLDER)
        elif isinstance(node, ast.With | ast.AsyncWith):
            for item in node.items:
                for name in _names(item.optional_vars):
                    data.setdefault(name, PLACEHOLDER)
    return over_budget


def _statements(body: list[ast.stmt]) -> Iterable[ast.stmt]:
    """Statements in source order, descending into if/for/while/with/try bodies."""
    for node in body:
        yield node
        for attr in ("body", "orelse", "finalbody"):
            yield from _statements(getattr(node, attr, []) or [])
        for handler in getattr(node, "handlers", []) or []:
            yield from _statements(handler.body)


def _names(target: ast.AST | None) -> list[str]:
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, ast.Tuple | ast.List):
        return [name for element in target.elts for name in _names(element)]
    if isinstance(target, ast.Starred):
        return _names(target.value)
    return []  # subscripts and attributes bind no new name


def _evaluate(expression: ast.expr, data: dict[str, Any], environment: RestrictedEnvironment,
              over_budget: list[tuple[str, str]]) -> Any:
    source = ast.unparse(expression)
    try:
        with step_budget(LINT_ITERATIONS, LINT_SECONDS):
            return environment.evaluate(source, dict(data))
    except ScriptBudgetError as exc:
        over_budget.append((source, str(exc)))
        return PLACEHOLDER
    except Exception:  # anything a sample cannot satisfy: the name still exists
        return PLACEHOLDER
