"""Which data names a process provides, and conditions that read a name nothing provides.

A condition on a misspelt field (`amout > 100`) compiles and only fails when a live case reaches
the gateway. The names a case can hold are knowable at deploy: the start data, the fields of the
forms its user tasks show, what its scripts assign, message and multi-instance variables, data objects.
"""

from __future__ import annotations

import ast
import difflib
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from lxml import etree

from app.text import T

from .assignment import expression_of
from .errors import BpmnProblem
from .flow_checks import BPMN_NS, own_process
from .parser import ParsedProcess
from .runtime import spec_form
from .sample_data import script_nodes
from .scripts.sandbox import is_iso_literal

SHOWN_NAMES = 8  # enough to spot the intended name without drowning the message
POLICY_EXPRESSIONS = ("due", "warn_share", "escalate_after", "alert")


def provided_names(parsed: ParsedProcess, data: Mapping[str, Any], scripts: bool = True) -> set[str]:
    """Every variable a case of this process can hold: the lint data's names plus any name a script binds anywhere
    (`scripts=False`: but those)."""
    names = set(data)
    for spec in [parsed.spec, *parsed.subprocess_specs.values()]:
        for task_spec in spec.task_specs.values():
            if scripts:
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


def unset_output_items(parsed: ParsedProcess, forms: Mapping[str, Any], data: Mapping[str, Any]) -> list[BpmnProblem]:
    """A multi-instance whose output item its instance neither shows in its form nor sets in a script: each instance
    would end with nothing to collect, which the engine refuses ("Expected an output item") -- a step no one can
    complete."""
    problems = []
    for spec in [parsed.spec, *parsed.subprocess_specs.values()]:
        for task_spec in spec.task_specs.values():
            item, child = getattr(task_spec, "output_item", None), getattr(task_spec, "task_spec", None)
            child = spec.task_specs.get(child) if isinstance(child, str) else child
            if item is None or child is None or item.bpmn_id in data:
                continue
            fields = {f["name"] for f in forms.get(spec_form(child) or "", ())}
            if item.bpmn_id not in fields | _bound_by_scripts(child):
                element = getattr(task_spec, "bpmn_id", None) or task_spec.name
                problems.append(BpmnProblem(element, T(
                    "the multi-instance's output item '%(item)s' is set by neither the step's form nor a script: no "
                    "instance could be completed; add a form field or a script that sets it, or remove the output",
                    item=item.bpmn_id)))
    return problems


def _bound_by_scripts(task_spec) -> set[str]:
    """Names a script stores, however: assignment, loop, with, except, walrus, def (a superset is safe here)."""
    names: set[str] = set()
    for node in script_nodes(task_spec):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
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


def script_binders(parsed: ParsedProcess) -> Counter:
    """How many scripts (scripts, pre- and post-scripts, each on its own) bind each name."""
    counts: Counter = Counter()
    for _what, _element, source, mode in _expressions(parsed):
        if mode == "exec":
            counts.update(bound_names(source))
    return counts


def bound_names(source: str) -> set[str]:
    """Names a script stores (not those it only deletes)."""
    try:
        tree = ast.parse(source, mode="exec")
    except SyntaxError:
        return set()
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)} | (
        _names(tree)[1] - {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)})


def unknown_expression_names(parsed: ParsedProcess, provided: set[str], environment_names: Iterable[str],
                             found: Iterable[BpmnProblem], others: set[str] | None = None) -> list[BpmnProblem]:
    """User tasks' `due` policies and timer expressions that read a name nothing provides.

    Evaluating them with sample data only follows one branch (`case_due if major else acceptance_due`
    never reads the second name when `major` is False); reading the names catches the others.
    A name an earlier problem at the same element already mentions is not reported twice.
    """
    known = provided | set(environment_names)
    said = {(p.element, p.message) for p in found}
    problems = []
    functions = sorted(n for n in environment_names if not n.startswith("_"))
    binders = script_binders(parsed) if others is not None else Counter()
    for what, element, source, mode in _expressions(parsed):
        if mode == "eval" and is_iso_literal(source):
            continue  # `P5D` reads as a name but is a literal duration to the evaluator
        called = called_names(source, mode)
        own: set[str] = set()
        if mode == "exec" and others is not None:  # what only this very script binds, it cannot read first
            own = {n for n in bound_names(source) if binders[n] == 1 and n not in others}
        for name in sorted(free_names(source, mode) - (known - own)):
            if any(e == element and f"'{name}'" in m for e, m in said):
                continue
            shown = source if len(source) <= 60 else source[:57] + "…"
            if name in called:
                close = difflib.get_close_matches(name, functions, n=3, cutoff=0.6)
                problems.append(BpmnProblem(element, T("%(what)s '%(source)s' calls '%(name)s', which is no function a "
                                                       "process here may call (%(hint)s)", what=what, source=shown,
                                                       name=name, hint=T("did you mean %(names)s?", names=", ".join(close))
                                                       if close else T("see the script helpers in the workbench"))))
            elif name in own:
                problems.append(BpmnProblem(element, T("%(what)s '%(source)s' reads '%(name)s' before it sets it, and no "
                                                       "form, other script or the start data provides it (%(hint)s)",
                                                       what=what, source=shown, name=name,
                                                       hint=known_names_hint(name, provided - own))))
            else:
                problems.append(BpmnProblem(element, T("%(what)s '%(source)s' uses '%(name)s', which no form, script or the start "
                                                       'data provides (%(hint)s)',
                                                       what=what, source=shown, name=name, hint=known_names_hint(name, provided - own))))
    return problems


def _expressions(parsed: ParsedProcess) -> Iterable[tuple[str, str, str, str]]:
    """(what, element, source, mode) of everything the engine evaluates, called processes' too: policies, timers and
    conditional events, loop and completion conditions, multi-instance collections, candidate and assignee
    expressions ("eval"), and scripts, pre- and post-scripts ("exec")."""
    for spec in [parsed.spec, *parsed.subprocess_specs.values()]:
        for task_spec in spec.task_specs.values():
            element = getattr(task_spec, "bpmn_id", None) or task_spec.name.removesuffix(" [child]")
            extensions = getattr(task_spec, "extensions", None) or {}
            if getattr(task_spec, "manual", False):
                properties = extensions.get("properties", {})
                for name in POLICY_EXPRESSIONS:
                    source = (properties.get(name) or "").strip()
                    if source and source.lower() != "none":
                        yield name, element, source, "eval"
                for attr in ("candidateGroups", "candidateUsers", "assignee"):
                    source = expression_of(extensions.get(attr))
                    if source:
                        yield attr, element, source, "eval"
            definition = getattr(task_spec, "event_definition", None)
            expression = getattr(definition, "expression", None)
            if isinstance(expression, str) and expression.strip():
                yield (T("timer") if "Timer" in type(definition).__name__ else T("condition"), element, expression.strip(),
                       "eval")
            for attr, what in (("cardinality", T("loop cardinality")), ("condition", T("loop or completion condition"))):
                value = getattr(task_spec, attr, None)
                if isinstance(value, str) and value.strip():
                    yield what, element, value.strip(), "eval"
            collection = getattr(task_spec, "data_input", None)
            if collection is not None and getattr(collection, "bpmn_id", None):
                yield T("multi-instance collection"), element, collection.bpmn_id, "eval"
            for attr, what in (("script", T("script")), ("prescript", T("pre-script")), ("postscript", T("post-script"))):
                source = getattr(task_spec, attr, None)
                if isinstance(source, str) and source.strip():
                    yield what, element, source.strip(), "exec"


def called_names(source: str, mode: str = "eval") -> set[str]:
    """Names an expression or script calls as functions."""
    try:
        tree = ast.parse(source, mode=mode)
    except SyntaxError:
        return set()
    return {n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}


def free_names(source: str, mode: str = "eval") -> set[str]:
    """Names an expression (or a script) reads from its data: not those its own comprehensions, lambdas, loops or
    assignments bind before. A script is read statement by statement, so `total = total + 1` and `del old` read
    their name unless an earlier statement bound it (within a compound statement, a name it binds anywhere counts)."""
    try:
        tree = ast.parse(source, mode=mode)
    except SyntaxError:
        return set()  # the compile check reports it
    if mode == "eval":
        read, bound = _names(tree)
        return read - bound
    free: set[str] = set()
    bound_before: set[str] = set()
    for statement in tree.body:
        if isinstance(statement, ast.Assign | ast.AugAssign | ast.AnnAssign | ast.Delete | ast.Expr):
            read, inner = _names(statement.value) if getattr(statement, "value", None) is not None else (set(), set())
            read -= inner  # a comprehension's or lambda's own names
            targets = (statement.targets if isinstance(statement, ast.Assign | ast.Delete)
                       else [statement.target] if not isinstance(statement, ast.Expr) else [])
            target_reads, target_binds = set(), set()
            for target in targets:
                r, b = _names(target)
                target_reads |= r
                target_binds |= b
            if isinstance(statement, ast.AugAssign | ast.Delete):  # `x += 1` and `del x` need x already
                target_reads |= target_binds
            free |= (read | target_reads) - bound_before
            if isinstance(statement, ast.Delete):
                bound_before -= target_binds
            else:
                bound_before |= target_binds
        else:
            read, bound = _names(statement)
            free |= read - bound - bound_before
            bound_before |= bound
    return free


def _names(tree: ast.AST) -> tuple[set[str], set[str]]:
    """(names read, names bound) anywhere in the tree."""
    read: set[str] = set()
    bound: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (read if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, ast.FunctionDef | ast.ClassDef | ast.ExceptHandler) and node.name:
            bound.add(node.name)
    return read, bound


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
