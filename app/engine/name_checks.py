"""Which data names a process provides, and conditions that read a name nothing provides.

A condition on a misspelt field (`amout > 100`) compiles and only fails when a live case reaches
the gateway. The names a case can hold are knowable at deploy: the start data, the fields of the
forms its user tasks show, what its scripts assign, message and multi-instance variables, data objects.
"""

from __future__ import annotations

import ast
import difflib
from collections.abc import Iterable, Mapping
from typing import Any

from lxml import etree

from app.text import T

from .errors import BpmnProblem
from .flow_checks import BPMN_NS, own_process
from .parser import ParsedProcess
from .sample_data import script_nodes
from .sandbox import is_iso_literal

SHOWN_NAMES = 8  # enough to spot the intended name without drowning the message
POLICY_EXPRESSIONS = ("due", "warn_share", "escalate_after", "alert")


def provided_names(parsed: ParsedProcess, data: Mapping[str, Any]) -> set[str]:
    """Every variable a case of this process can hold: the lint data's names plus any name a script binds anywhere."""
    names = set(data)
    for spec in [parsed.spec, *parsed.subprocess_specs.values()]:
        for task_spec in spec.task_specs.values():
            names.update(_bound_by_scripts(task_spec))
            for attr in ("input_item", "output_item", "data_output"):
                ref = getattr(task_spec, attr, None)
                if ref is not None:
                    names.add(ref.bpmn_id)
            definition = getattr(task_spec, "event_definition", None)
            names.update(filter(None, (getattr(definition, a, None) for a in ("message_var", "variable"))))
    for tag in ("dataObject", "dataObjectReference", "dataStoreReference"):
        for node in parsed.tree.iter(f"{{{BPMN_NS}}}{tag}"):
            names.update(filter(None, (node.get("id"), node.get("name"))))
    return names


def _bound_by_scripts(task_spec) -> set[str]:
    """Names a script stores, however: assignment, loop, with, except, walrus, def (a superset is safe here)."""
    names: set[str] = set()
    for node in script_nodes(task_spec):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            names.add(node.id)
        elif isinstance(node, ast.FunctionDef | ast.ClassDef | ast.ExceptHandler) and node.name:
            names.add(node.name)
    return names


def unknown_condition_names(tree: etree._Element, process_id: str, provided: set[str],
                            environment_names: Iterable[str]) -> list[BpmnProblem]:
    """A problem at each sequence flow whose condition reads a name no form, script or start data provides."""
    known = provided | set(environment_names)
    problems = []
    for flow in own_process(tree, process_id).iter(f"{{{BPMN_NS}}}sequenceFlow"):
        node = flow.find(f"{{{BPMN_NS}}}conditionExpression")
        source = (node.text or "").strip() if node is not None else ""
        if not source or "${" in source or "#{" in source:
            continue  # no condition, or JUEL (reported by the compile check)
        for name in sorted(free_names(source) - known):
            problems.append(BpmnProblem(flow.get("id"), T('condition "%(source)s" uses \'%(name)s\', which no form or script provides '
                                                          '(%(hint)s): correct the name, or add a form field or script variable of '
                                                          'that name',
                                                          source=source, name=name, hint=known_names_hint(name, provided))))
    return problems


def unknown_expression_names(parsed: ParsedProcess, provided: set[str], environment_names: Iterable[str],
                             found: Iterable[BpmnProblem]) -> list[BpmnProblem]:
    """User tasks' `due` policies and timer expressions that read a name nothing provides.

    Evaluating them with sample data only follows one branch (`case_due if major else acceptance_due`
    never reads the second name when `major` is False); reading the names catches the others.
    A name an earlier problem at the same element already mentions is not reported twice.
    """
    known = provided | set(environment_names)
    said = {(p.element, p.message) for p in found}
    problems = []
    for what, element, source in _expressions(parsed):
        if is_iso_literal(source):
            continue  # `P5D` reads as a name but is a literal duration to the evaluator
        for name in sorted(free_names(source) - known):
            if not any(e == element and f"'{name}'" in m for e, m in said):
                problems.append(BpmnProblem(element, T("%(what)s '%(source)s' uses '%(name)s', which no form, script or the start "
                                                       'data provides (%(hint)s)',
                                                       what=what, source=source, name=name, hint=known_names_hint(name, provided))))
    return problems


def _expressions(parsed: ParsedProcess) -> Iterable[tuple[str, str, str]]:
    """(what, element, source) of each policy and timer or conditional-event expression, called processes' too."""
    for spec in [parsed.spec, *parsed.subprocess_specs.values()]:
        for task_spec in spec.task_specs.values():
            element = getattr(task_spec, "bpmn_id", None) or task_spec.name.removesuffix(" [child]")
            if getattr(task_spec, "manual", False):
                properties = (getattr(task_spec, "extensions", None) or {}).get("properties", {})
                for name in POLICY_EXPRESSIONS:
                    source = (properties.get(name) or "").strip()
                    if source and source.lower() != "none":
                        yield name, element, source
            definition = getattr(task_spec, "event_definition", None)
            expression = getattr(definition, "expression", None)
            if isinstance(expression, str) and expression.strip():
                yield T("timer") if "Timer" in type(definition).__name__ else T("condition"), element, expression.strip()


def free_names(source: str) -> set[str]:
    """Names an expression reads from its data: not those its own comprehensions or lambdas bind."""
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError:
        return set()  # the compile check reports it
    read: set[str] = set()
    bound: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (read if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
    return read - bound


def known_names_hint(name: str, provided: Iterable[str]) -> str:
    """"known: amount, applicant, …": the likeliest intended names first."""
    names = sorted(n for n in provided if not n.startswith("_"))
    if not names:
        return T("the process provides no data: add a form to a user task or assign it in a script")
    close = difflib.get_close_matches(name, names, n=3, cutoff=0.6)
    shown = close + [n for n in names if n not in close]
    more = ", …" if len(shown) > SHOWN_NAMES else ""
    return T("known: %(names)s", names=", ".join(shown[:SHOWN_NAMES]) + more)


def explain_failure(exc: Exception, data: Mapping[str, Any]) -> str:
    """Why an expression did not evaluate; for an unknown name, which name and what is known instead."""
    name = getattr(exc, "name", None) if isinstance(exc, NameError) else None
    if not name:
        return str(exc)
    return T("'%(name)s' is not provided by the start data, a form or a script (%(hint)s)", name=name,
             hint=known_names_hint(name, data))
