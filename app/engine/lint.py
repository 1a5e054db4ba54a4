"""Deploy-time checks: problems found here would otherwise surface at run time, in a live case."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from SpiffWorkflow.bpmn.specs.event_definitions.timer import (
    CycleTimerEventDefinition,
    DurationTimerEventDefinition,
    TimerEventDefinition,
)
from SpiffWorkflow.bpmn.specs.mixins.events.event_types import CatchingEvent

from app.text import T

from .assignment import static_names
from .canonical import form_of, referenced_forms
from .errors import BpmnProblem, ScriptBudgetError
from .flow_checks import check_flows, executable_ids, scope_ids
from .juel import as_python
from .name_checks import (
    explain_failure,
    provided_names,
    unknown_condition_names,
    unknown_expression_names,
    unset_output_items,
)
from .parser import ParsedProcess
from .runtime import spec_properties
from .sample_data import FormFields, lint_data
from .script_checks import check_case_fields, check_endless_loops
from .scripts.budget import LINT_ITERATIONS, LINT_SECONDS, step_budget
from .scripts.sandbox import CompileError, RestrictedEnvironment, compile_expression, compile_script, is_iso_literal
from .timers import after_duration


def lint_process(
    parsed: ParsedProcess,
    known_lanes: Iterable[str],
    known_forms: Iterable[str],
    helpers: Mapping[str, Callable[..., Any]] | None = None,
    start_data: Mapping[str, Any] | None = None,
    form_fields: FormFields | None = None,
    known_statuses: Iterable[str] | None = None,
    reject_legacy_case_status: bool = False,
    receivable: Callable[[str], bool] | None = None,
) -> list[BpmnProblem]:
    """Every problem in a parsed process, each naming its BPMN element id.

    Timers are evaluated against `lint_data`: the start data, sample values for the fields of
    `form_fields` (form id -> field descriptions) and what the process's own scripts assign.
    Conditions reading a name none of these provide are refused only when both `start_data` and
    the fields of every referenced form are given: otherwise lint cannot know the name is missing.
    `known_statuses` are the case statuses `set_case(status=...)` may name (None: not checked).
    `reject_legacy_case_status` refuses assignments to `case_status` (superseded by set_case).
    `receivable` says whether a lane or candidate-group name reaches a group (None: only `known_lanes` do); the
    known lanes are named in the advice.
    """
    lanes, forms = set(known_lanes), set(known_forms)
    reaches = receivable or lanes.__contains__
    environment = RestrictedEnvironment(helpers)
    problems: list[BpmnProblem] = []
    data = lint_data(parsed, start_data, form_fields, helpers, problems)
    statuses = None if known_statuses is None else set(known_statuses)
    for process_id in executable_ids(parsed.tree):  # the file's own processes: its main one and those it calls
        problems.extend(check_flows(parsed.tree, process_id, lanes, reaches))
    own_scopes = scope_ids(parsed.tree)
    for spec in [parsed.spec, *parsed.subprocess_specs.values()]:
        items = _multi_instance_items(spec, data)
        # This document's lanes are checked at the lane (check_flows); a called process's only show on its tasks.
        lanes_here = None if spec.name in own_scopes else reaches
        for task_spec in spec.task_specs.values():
            task_data = {**data, **items.get(task_spec.name, {})}
            problems.extend(_lint_task_spec(task_spec, lanes_here, forms, environment, task_data))
            if task_spec.manual:
                problems.extend(_unreachable_candidates(task_spec, reaches))
            problems.extend(check_case_fields(task_spec, _bpmn_id(task_spec), statuses, reject_legacy_case_status))
            problems.extend(check_endless_loops(task_spec, _bpmn_id(task_spec)))
    if start_data is not None and form_fields is not None and referenced_forms(parsed) <= set(form_fields):
        problems.extend(_unknown_names(parsed, data, environment, problems, _not_by_scripts(start_data, form_fields)))
        problems.extend(unset_output_items(parsed, form_fields, data))
    return problems


def _unknown_names(parsed: ParsedProcess, data: Mapping[str, Any], environment: RestrictedEnvironment,
                   found: list[BpmnProblem], not_by_scripts: Mapping[str, Any]) -> list[BpmnProblem]:
    """Conditions, policies, timers and scripts reading a name nothing provides (a script reading, before it binds it,
    a name only it binds included); the sandbox's builtins and helpers are provided."""
    available, provided = [*environment.globals, *environment.globals["__builtins__"]], provided_names(parsed, data)
    others = provided_names(parsed, not_by_scripts, scripts=False)
    return [*unknown_condition_names(parsed.tree, parsed.process_id, provided, available),
            *unknown_expression_names(parsed, provided, available, found, others)]


def _not_by_scripts(start_data: Mapping[str, Any], form_fields: FormFields) -> dict[str, Any]:
    """The names a case holds before any script runs: its start data and its forms' fields."""
    names = dict(start_data)
    for fields in form_fields.values():
        names.update(dict.fromkeys(field["name"] for field in fields))
    return names


def _multi_instance_items(spec, sample_data: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """A multi-instance child sees its item: the first element of the collection in the lint data."""
    items = {}
    for task_spec in spec.task_specs.values():
        item_ref, collection_ref = getattr(task_spec, "input_item", None), getattr(task_spec, "data_input", None)
        child = getattr(task_spec, "task_spec", None)
        if item_ref is None or child is None:
            continue
        collection = sample_data.get(collection_ref.bpmn_id) if collection_ref is not None else None
        if isinstance(collection, dict):
            collection = list(collection.values())
        item = collection[0] if isinstance(collection, list | tuple) and collection else {}
        items[child if isinstance(child, str) else child.name] = {item_ref.bpmn_id: item}
    return items


def _bpmn_id(task_spec) -> str:
    return getattr(task_spec, "bpmn_id", None) or task_spec.name.removesuffix(" [child]")


def _lint_task_spec(task_spec, lanes, forms, environment, sample_data) -> list[BpmnProblem]:
    element = _bpmn_id(task_spec)
    problems = []
    for condition, target in getattr(task_spec, "cond_task_specs", []) or []:
        source = getattr(condition, "args", [None])[0] if condition is not None else None
        if source is not None:
            where = T("condition on the flow to '%(target)s'", target=target)
            problems.extend(_check_compiles(element, str(source), where, compile_expression))
    for attr, what in (("script", T("script")), ("prescript", T("pre-script")), ("postscript", T("post-script"))):
        source = getattr(task_spec, attr, None)
        if source:
            problems.extend(_check_compiles(element, source, what, compile_script))
    definition = getattr(task_spec, "event_definition", None)
    if isinstance(task_spec, CatchingEvent) and isinstance(definition, TimerEventDefinition):
        problems.extend(_check_timer(element, definition, environment, sample_data))
    if task_spec.manual:
        if lanes is not None and task_spec.lane is not None and not lanes(task_spec.lane):
            problems.append(BpmnProblem(element, T("lane '%(lane)s' of the called process maps to no known group: rename that lane "
                                                   "in the called process's diagram",
                                                   lane=task_spec.lane)))
        form = form_of(task_spec)
        if form is not None and form not in forms:
            problems.append(BpmnProblem(element, T("no form '%(form)s' exists: create it among the workbench's forms "
                                                   "(or put it in forms/), or name an existing one", form=form)))
        problems.extend(_check_sla(element, spec_properties(task_spec), environment, sample_data))
    return problems


def _unreachable_candidates(task_spec, reaches: Callable[[str], bool]) -> list[BpmnProblem]:
    """Candidate groups named outright that reach no group (a name in an expression is known only in a case)."""
    extensions = getattr(task_spec, "extensions", None) or {}
    return [BpmnProblem(_bpmn_id(task_spec), T("candidate group '%(name)s' maps to no group: map it (minyi lanes map "
                                               "%(name)s GROUP, or the lanes page) or name a group such as handler@*",
                                               name=name))
            for name in static_names(extensions.get("candidateGroups")) if not reaches(name)]


def _check_sla(element, properties, environment, sample_data) -> list[BpmnProblem]:
    """The SLA policy of a user task: `due` gives a moment, `warn_share` a fraction, `escalate_after` a moment;
    `alert` (notify the task's people as it opens) any value, read as yes or no."""
    problems = []
    for name, expect in (("due", "moment"), ("warn_share", "fraction"), ("escalate_after", "moment"), ("alert", "any")):
        source = (properties.get(name) or "").strip()
        if not source or (name == "escalate_after" and source.lower() == "none"):
            continue
        compiled = _check_compiles(element, source, name, compile_expression)
        if compiled:
            problems.extend(compiled)
            continue
        try:
            value = evaluate_within_budget(environment, source, sample_data)
        except ScriptBudgetError as exc:
            problems.append(BpmnProblem(element, T("%(name)s '%(source)s' exceeds the script budget: %(exc)s",
                                                   name=name, source=source, exc=exc)))
            continue
        except Exception as exc:  # any failure here would stop a live case
            problems.append(BpmnProblem(element, T("%(name)s '%(source)s' does not evaluate: %(failure)s",
                                                   name=name, source=source, failure=explain_failure(exc, sample_data))))
            continue
        if expect == "fraction" and (isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1):
            problems.append(BpmnProblem(element, T("%(name)s '%(source)s' gives %(value)s, not a number between 0 and 1",
                                                   name=name, source=source, value=repr(value))))
        if expect == "moment" and not _is_moment(value):
            problems.append(BpmnProblem(element, T("%(name)s '%(source)s' gives %(value)s, not an ISO-8601 moment (write e.g. "
                                                   'working_days(10), P3D or earliest(working_days(10), case_due))',
                                                   name=name, source=source, value=repr(value))))
    if properties.get("warn_share") or properties.get("escalate_after"):
        if not (properties.get("due") or "").strip():
            problems.append(BpmnProblem(element, T('warn_share and escalate_after need a due property')))
    return problems


def evaluate_within_budget(environment, source: str, sample_data) -> Any:
    """Evaluate at lint under a small budget of its own: lint never runs unbounded process code."""
    with step_budget(LINT_ITERATIONS, LINT_SECONDS):
        return environment.evaluate(source, dict(sample_data))


def _is_moment(value) -> bool:
    """An ISO-8601 moment, or a duration after the task became ready (P3D)."""
    if not isinstance(value, str):
        return False
    if after_duration(value, datetime.now(UTC)) is not None:
        return True
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def _check_compiles(element, source, what, compiler) -> list[BpmnProblem]:
    if "${" in source or "#{" in source:
        python = as_python(source)
        if python is not None:  # where Minyi reads JUEL as Python (conditions) it is gone by now: say what to write
            return [BpmnProblem(element, T("%(what)s '%(source)s' is JUEL; expressions are Python: write %(python)s",
                                           what=what, source=source, python=python))]
        return [BpmnProblem(element, T("%(what)s '%(source)s' is JUEL that Python reads otherwise (a method call, a "
                                       "property, ?:); write it in Python, e.g. amount > 100 or order['total'] > 5",
                                       what=what, source=source))]
    try:
        compiler(source)
    except CompileError as exc:
        return [BpmnProblem(element, T("%(what)s '%(source)s' does not compile: %(exc)s", what=what, source=source.strip(), exc=exc))]
    except SyntaxError as exc:
        return [BpmnProblem(element, T("%(what)s '%(source)s' does not compile: %(msg)s", what=what, source=source.strip(), msg=exc.msg))]
    return []


def _check_timer(element, definition, environment, sample_data) -> list[BpmnProblem]:
    expression = (definition.expression or "").strip()
    if not expression:
        return [BpmnProblem(element, T('timer has no expression'))]
    if not is_iso_literal(expression):
        problems = _check_compiles(element, expression, T("timer"), compile_expression)
        if problems:
            return problems
    try:
        value = evaluate_within_budget(environment, expression, sample_data)
    except ScriptBudgetError as exc:
        return [BpmnProblem(element, T("timer '%(expression)s' exceeds the script budget: %(exc)s", expression=expression, exc=exc))]
    except Exception as exc:  # any failure here would stop a live case
        return [BpmnProblem(element, T("timer '%(expression)s' does not evaluate: %(failure)s",
                                       expression=expression, failure=explain_failure(exc, sample_data)))]
    if not isinstance(value, str):
        return [BpmnProblem(element, T("timer '%(expression)s' gives %(name)s, not an ISO-8601 string",
                                       expression=expression, name=type(value).__name__))]
    try:
        if isinstance(definition, CycleTimerEventDefinition):
            TimerEventDefinition.parse_iso_recurring_interval(value)
        elif isinstance(definition, DurationTimerEventDefinition):
            TimerEventDefinition.parse_iso_duration(value)
        else:
            TimerEventDefinition.parse_time_or_duration(value)
    except Exception:
        return [BpmnProblem(element, T("timer '%(expression)s' gives '%(value)s', not a valid ISO-8601 value for this timer",
                                       expression=expression, value=value))]
    return []
