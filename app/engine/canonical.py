"""The executable content of a BPMN document: what decides whether a deploy is a new version."""

from __future__ import annotations

from lxml import etree

from .parser import ParsedProcess
from .runtime import spec_form

BPMNDI_NS = "http://www.omg.org/spec/BPMN/20100524/DI"


def executable_xml(xml: bytes) -> bytes:
    """The document without its diagram interchange (shapes, edges), canonicalised (C14N, no comments).

    Two files that differ only in layout give the same bytes.
    """
    tree = etree.fromstring(xml, parser=etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=True))
    for diagram in tree.findall(f"{{{BPMNDI_NS}}}BPMNDiagram"):
        tree.remove(diagram)
    return etree.tostring(tree, method="c14n", with_comments=False)


def referenced_forms(parsed: ParsedProcess) -> set[str]:
    """The form ids the process's user tasks (and its called processes' user tasks) name."""
    found = set()
    for spec in [parsed.spec, *parsed.subprocess_specs.values()]:
        found.update(filter(None, (form_of(task_spec) for task_spec in spec.task_specs.values())))
    return found


def form_of(task_spec) -> str | None:
    """The form a user task names (camunda:formKey or a formKey/form property); None for other tasks."""
    return spec_form(task_spec) if task_spec.manual else None
