"""Deploy-time checks: problems found here would otherwise surface at run time, in a live case."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from SpiffWorkflow.bpmn.specs.event_definitions.timer import (
    CycleTimerEventDefinition,
    DurationTimerEventDefinition,
    TimerEventDefinition,
)
from SpiffWorkflow.bpmn.specs.mixins.events.event_types import CatchingEvent

from .canonical import form_of
from .errors import BpmnProblem
from .parser import ParsedProcess
from .sample_data import FormFields, lint_data
from .sandbox import CompileError, RestrictedEnvironment, compile_expression, compile_script, is_iso_literal
from .script_checks import check_case_fields


def lint_process(
    parsed: ParsedProcess,
    known_lanes: Iterable[str],
    known_forms: Iterable[str],
    helpers: Mapping[str, Callable[..., Any]] | None = None,
    start_data: Mapping[str, Any] | None = None,
    form_fields: FormFields | None = None,
    known_statuses: Iterable[str] | None = None,
    reject_legacy_case_status: bool = False,
) -> list[BpmnProblem]:
    """Every problem in a parsed process, each naming its BPMN element id.

    Timers are evaluated against `lint_data`: the start data, sample values for the fields of
    `form_fields` (form id -> field descriptions) and what the process's own scripts assign.
    `known_statuses` are the case statuses `set_case(status=...)` may name (None: not checked).
    `reject_legacy_case_status` refuses assignments to `case_status` (superseded by set_case).
    """
    lanes, forms = set(known_lanes), set(known_forms)
    environment = RestrictedEnvironment(helpers)
    data = lint_data(parsed, start_data, form_fields, helpers)
    statuses = None if known_statuses is None else set(known_statuses)
    problems: list[BpmnProblem] = []
    for spec in [parsed.spec, *parsed.subprocess_specs.values()]:
        for task_spec in spec.task_specs.values():
            problems.extend(_lint_task_spec(task_spec, lanes, forms, environment, data))
            problems.extend(check_case_fields(task_spec, _bpmn_id(task_spec), statuses, reject_legacy_case_status))
    return problems


def _bpmn_id(task_spec) -> str:
    return getattr(task_spec, "bpmn_id", None) or task_spec.name.removesuffix(" [child]")


def _lint_task_spec(task_spec, lanes, forms, environment, sample_data) -> list[BpmnProblem]:
    element = _bpmn_id(task_spec)
    problems = []
    for condition, target in getattr(task_spec, "cond_task_specs", []) or []:
        source = getattr(condition, "args", [None])[0] if condition is not None else None
        if source is not None:
            where = f"condition on the flow to '{target}'"
            problems.extend(_check_compiles(element, str(source), where, compile_expression))
    for attr in ("script", "prescript", "postscript"):
        source = getattr(task_spec, attr, None)
        if source:
            problems.extend(_check_compiles(element, source, attr, compile_script))
    definition = getattr(task_spec, "event_definition", None)
    if isinstance(task_spec, CatchingEvent) and isinstance(definition, TimerEventDefinition):
        problems.extend(_check_timer(element, definition, environment, sample_data))
    if task_spec.manual:
        if task_spec.lane is not None and task_spec.lane not in lanes:
            problems.append(BpmnProblem(element, f"lane '{task_spec.lane}' maps to no known group"))
        form = form_of(task_spec)
        if form is not None and form not in forms:
            problems.append(BpmnProblem(element, f"form '{form}' does not exist in forms/"))
    return problems


def _check_compiles(element, source, what, compiler) -> list[BpmnProblem]:
    if "${" in source or "#{" in source:
        return [BpmnProblem(element, f"{what} '{source}' is JUEL; expressions are Python (write: amount > 100)")]
    try:
        compiler(source)
    except CompileError as exc:
        return [BpmnProblem(element, f"{what} '{source.strip()}' does not compile: {exc}")]
    except SyntaxError as exc:
        return [BpmnProblem(element, f"{what} '{source.strip()}' does not compile: {exc.msg}")]
    return []


def _check_timer(element, definition, environment, sample_data) -> list[BpmnProblem]:
    expression = (definition.expression or "").strip()
    if not expression:
        return [BpmnProblem(element, "timer has no expression")]
    if not is_iso_literal(expression):
        problems = _check_compiles(element, expression, "timer", compile_expression)
        if problems:
            return problems
    try:
        value = environment.evaluate(expression, dict(sample_data))
    except Exception as exc:  # any failure here would stop a live case
        return [BpmnProblem(element, f"timer '{expression}' does not evaluate: {exc}")]
    if not isinstance(value, str):
        return [BpmnProblem(element, f"timer '{expression}' gives {type(value).__name__}, not an ISO-8601 string")]
    try:
        if isinstance(definition, CycleTimerEventDefinition):
            TimerEventDefinition.parse_iso_recurring_interval(value)
        elif isinstance(definition, DurationTimerEventDefinition):
            TimerEventDefinition.parse_iso_duration(value)
        else:
            TimerEventDefinition.parse_time_or_duration(value)
    except Exception:
        return [BpmnProblem(element, f"timer '{expression}' gives '{value}', not a valid ISO-8601 value for this timer")]
    return []
