"""Checks of a BPMN document before the engine reads it, each problem on its element and all of them at once (the
engine would stop at the first, in words an owner cannot act on): where it breaks the BPMN 2.0 schema, the
elements no process here can run (each with what to draw instead), and references to elements the file lacks."""

from __future__ import annotations

import re
import threading

from lxml import etree
from SpiffWorkflow.bpmn.parser.util import first
from SpiffWorkflow.spiff.parser import VALIDATOR

from app.text import T

from .errors import BpmnProblem
from .flow_checks import BPMN_NS, describe


def unsupported(tree: etree._Element) -> list[BpmnProblem]:
    """Elements a process here cannot run, each named with what to draw instead."""
    advice = {
        "serviceTask": T("%(element)s: a process here calls no outside service; let a script task work out what it "
                         "needs, or a user task ask a person to do it"),
        "sendTask": T("%(element)s: a process here sends nothing itself (the petitioner's messages go out with each "
                      "step); use a user task for the person who sends it"),
        "businessRuleTask": T("%(element)s: decision tables (DMN) are not run here; let a script task decide, or an "
                              "exclusive gateway with a condition on each way"),
        "complexGateway": T("%(element)s: a complex gateway cannot run here; use an inclusive gateway (a condition on "
                            "each way and a default) or a parallel one"),
    }
    problems = [BpmnProblem(element.get("id") or tag, T(advice[tag].template, element=describe(element)))
                for tag in advice for element in tree.iter(f"{{{BPMN_NS}}}{tag}")]
    compensating = [e for e in tree.iter() if isinstance(e.tag, str) and (
        e.get("isForCompensation") == "true" or e.find(f"{{{BPMN_NS}}}compensateEventDefinition") is not None)]
    problems += [BpmnProblem(e.get("id") or "compensation", T(
        "%(element)s: compensation is not supported; draw the steps that undo the work as ordinary tasks on the path",
        element=describe(e))) for e in compensating]
    return problems


def dangling_references(tree: etree._Element) -> list[BpmnProblem]:
    """Sequence flows and boundary events that point at an element the file does not have."""
    ids = set(tree.xpath("//@id"))
    problems = []
    for flow in tree.iter(f"{{{BPMN_NS}}}sequenceFlow"):
        for end in ("sourceRef", "targetRef"):
            ref = flow.get(end)
            if ref is not None and ref not in ids:
                problems.append(BpmnProblem(flow.get("id") or "sequenceFlow", T("its %(end)s '%(ref)s' is not an element of the file",
                                                                                end=end, ref=ref)))
    for event in tree.iter(f"{{{BPMN_NS}}}boundaryEvent"):
        ref = event.get("attachedToRef")
        if ref is not None and ref not in ids:
            problems.append(BpmnProblem(event.get("id") or "boundaryEvent",
                                        T("it is attached to '%(ref)s', which is not an element of the file", ref=ref)))
    return problems


_SCHEMA_LOCK = threading.Lock()  # the validator keeps its error log on itself


def schema_problems(tree: etree._Element) -> list[BpmnProblem]:
    """Every place the document breaks the BPMN 2.0 schema (the engine would say only the last one, naming the file),
    each on the element it is in and said with BPMN's own element names."""
    VALIDATOR.preprocess(tree)
    with _SCHEMA_LOCK:
        if VALIDATOR.validator.validate(tree):
            return []
        errors = [(error.path, error.line, error.message) for error in VALIDATOR.validator.error_log]
    prefixes = {prefix: uri for prefix, uri in tree.nsmap.items() if prefix}
    problems = []
    for path, line, message in errors:
        try:
            node = first(tree.getroottree().xpath(path, namespaces=prefixes)) if path else None
        except etree.XPathError:
            node = None
        owner = next((n for n in ([node, *node.iterancestors()] if node is not None else []) if n.get("id")), None)
        detail = re.sub(r"\{[^}]*\}", "", message).replace("Element '", "'").strip().rstrip(".")
        problems.append(BpmnProblem(owner.get("id") if owner is not None else "definitions", T(
            "%(element)s does not follow the BPMN 2.0 schema (line %(line)s): %(detail)s",
            element=describe(owner) if owner is not None else T("the file"), line=line, detail=detail)))
    return problems
