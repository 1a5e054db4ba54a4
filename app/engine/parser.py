"""BPMN parsing: the spiff dialect, plus the Camunda-7 attributes process owners' modelers write.

One parser per parse: SpiffWorkflow refuses two versions of one process id in one parser.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

from lxml import etree
from SpiffWorkflow.bpmn.parser.BpmnParser import full_tag
from SpiffWorkflow.bpmn.parser.util import first
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.spiff.parser import SpiffBpmnParser
from SpiffWorkflow.spiff.parser.task_spec import UserTaskParser
from SpiffWorkflow.spiff.specs.defaults import UserTask

from app.text import T

from .errors import BpmnProblem, BpmnRejectedError
from .flow_checks import ambiguous_flows, describe, executable_ids, several_ways_out
from .inline_forms import form_data_of, inline_form_id, inline_forms, merged
from .juel import rewrite_expressions
from .schema_checks import dangling_references, schema_problems, unsupported

CAMUNDA_NS = "http://camunda.org/schema/1.0/bpmn"
BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
SPIFF_NS = "http://spiffworkflow.org/bpmn/schema/1.0/core"


class CamundaCollection:
    """Camunda 7 writes a multi-instance collection as attributes (`camunda:collection`, `camunda:elementVariable`) on
    any activity; they are rewritten into the standard elements SpiffWorkflow reads."""

    def _add_multiinstance_task(self, loop_characteristics):
        collection = loop_characteristics.get(f"{{{CAMUNDA_NS}}}collection")
        if collection is not None and not self.xpath("./bpmn:multiInstanceLoopCharacteristics/bpmn:loopDataInputRef"):
            # Camunda writes the collection as attributes; rewrite them into the standard elements.
            element = loop_characteristics.get(f"{{{CAMUNDA_NS}}}elementVariable") or "item"
            ref = etree.SubElement(loop_characteristics, f"{{{BPMN_NS}}}loopDataInputRef")
            ref.text = collection
            item = etree.SubElement(loop_characteristics, f"{{{BPMN_NS}}}inputDataItem")
            item.set("id", element)
            item.set("name", element)
        return super()._add_multiinstance_task(loop_characteristics)


class CamundaAwareUserTaskParser(CamundaCollection, UserTaskParser):
    """Copies camunda:formKey / candidateGroups / candidateUsers / assignee / properties into `extensions`."""

    def parse_extensions(self, node=None):
        node = self.node if node is None else node
        extensions = super().parse_extensions(node)
        for attr, key in (("formKey", "formKey"), ("candidateGroups", "candidateGroups"),
                          ("candidateUsers", "candidateUsers"), ("assignee", "assignee")):
            value = node.get(f"{{{CAMUNDA_NS}}}{attr}")
            if value is not None:
                extensions.setdefault(key, value)
        props = node.xpath(
            "./bpmn:extensionElements/camunda:properties/camunda:property",
            namespaces={"bpmn": BPMN_NS, "camunda": CAMUNDA_NS},
        )
        if props:
            merged = dict(extensions.get("properties", {}))
            for prop in props:
                merged.setdefault(prop.get("name"), prop.get("value"))
            extensions["properties"] = merged
        if form_data_of(node) is not None:  # Camunda's generated form: the fields the diagram declares
            extensions["formKey"] = inline_form_id(node.get("id") or "")
        return extensions

def _with_collection(tag: str) -> tuple:
    parser_class, spec_class = SpiffBpmnParser.OVERRIDE_PARSER_CLASSES[full_tag(tag)]
    return type(f"Camunda{parser_class.__name__}", (CamundaCollection, parser_class), {}), spec_class


class MinyiBpmnParser(SpiffBpmnParser):
    OVERRIDE_PARSER_CLASSES = {
        **SpiffBpmnParser.OVERRIDE_PARSER_CLASSES,
        **{full_tag(tag): _with_collection(tag)
           for tag in ("task", "manualTask", "scriptTask", "subProcess", "callActivity", "businessRuleTask")},
        full_tag("userTask"): (CamundaAwareUserTaskParser, UserTask),
    }


@dataclass
class ParsedProcess:
    process_id: str
    name: str | None
    spec: object
    subprocess_specs: dict
    tree: etree._Element
    inline_forms: dict = field(default_factory=dict)  # {form id: form} the diagrams declare (inline_forms.py)


def parse_bpmn(xml: bytes, filename: str = "process.bpmn", extra_files: dict[str, bytes] | None = None) -> ParsedProcess:
    """Parse and XSD-validate one BPMN document holding one executable process.

    `extra_files` are other BPMN documents that call activities may reference.
    Raises BpmnRejectedError with the offending element ids.
    """
    parser = MinyiBpmnParser(validator=None)  # each document is checked against the schema once, by schema_problems
    tree = _load_xml(as_utf8(xml, filename), filename)
    rewrite_expressions(tree)  # Camunda's ${...} conditions, where Python means the same (juel.py)
    # Refused before the engine parses: it would stop at the first with a message the owner cannot act on.
    declared, form_problems = inline_forms(tree)
    found = (unsupported(tree) + dangling_references(tree) + ambiguous_flows(tree) + several_ways_out(tree)
             + schema_problems(tree) + form_problems)
    if found:
        raise BpmnRejectedError(found)
    others = []  # (file name, document) of the other files whose processes a call activity may call
    try:
        parser.add_bpmn_xml(tree, filename=filename)
        here = {p.get("id") for p in tree.iter(f"{{{BPMN_NS}}}process")}
        for other_name, other_xml in (extra_files or {}).items():
            other = _load_xml(other_xml, other_name)
            if not here & {p.get("id") for p in other.iter(f"{{{BPMN_NS}}}process")}:  # this file's own come first
                off_schema = schema_problems(other)
                if off_schema:
                    raise BpmnRejectedError([BpmnProblem(p.element, f"{other_name}: {p.message}") for p in off_schema])
                rewrite_expressions(other)
                parser.add_bpmn_xml(other, filename=other_name)
                others.append((other_name, other))
    except ValidationException as exc:
        raise BpmnRejectedError([_problem_from_validation(exc)]) from exc
    process_ids = parser.get_process_ids()
    process_id = _main_process(tree, filename)
    uncalled = [BpmnProblem(c.get("id"), T("%(element)s calls process '%(called)s', which neither this file nor any "
                                           "deployed process holds: upload the called process first, or draw it in "
                                           "this file",
                                           element=describe(c), called=c.get("calledElement") or ""))
                for c in tree.iter(f"{{{BPMN_NS}}}callActivity") if c.get("calledElement") not in process_ids]
    if uncalled:
        raise BpmnRejectedError(uncalled)
    if process_id not in process_ids:
        raise BpmnRejectedError([BpmnProblem(process_id, T('process could not be read'))])
    try:
        spec = parser.get_spec(process_id)
        subprocess_specs = parser.get_subprocess_specs(process_id)
    except ValidationException as exc:
        raise BpmnRejectedError([_problem_from_validation(exc)]) from exc
    except Exception as exc:  # the parser wraps little; say what it said, on the process
        raise BpmnRejectedError([BpmnProblem(process_id, str(exc))]) from exc
    for other_name, other in others:  # the forms the called files declare (theirs alone: not every sibling's)
        if set(subprocess_specs) & {p.get("id") for p in other.iter(f"{{{BPMN_NS}}}process")}:
            theirs, off_form = inline_forms(other)
            off_form += merged(declared, theirs, other_name)
            if off_form:
                raise BpmnRejectedError([BpmnProblem(p.element, f"{other_name}: {p.message}") for p in off_form])
    name = first(tree.xpath(f'//bpmn:process[@id="{process_id}"]/@name', namespaces={"bpmn": BPMN_NS}))
    _apply_process_defaults(tree, process_id, spec)
    return ParsedProcess(process_id, name, spec, subprocess_specs, tree, declared)


def _main_process(tree: etree._Element, filename: str) -> str:
    """The process a file's cases start: its one executable process, or -- a caller with the processes it calls --
    the one executable process no call activity of the file calls."""
    own_ids = executable_ids(tree)
    if not own_ids:
        raise BpmnRejectedError([BpmnProblem(filename, T("the file holds no executable process: mark the process "
                                                         "executable (isExecutable=\"true\")"))])
    called = {c.get("calledElement") for c in tree.iter(f"{{{BPMN_NS}}}callActivity")}
    roots = [pid for pid in own_ids if pid not in called]
    if len(roots) != 1:
        raise BpmnRejectedError([BpmnProblem(filename, T(
            "the file holds %(count)s executable processes that no call activity calls (%(ids)s): a file holds the "
            "process its cases start and the processes it calls; put the others in their own files",
            count=len(roots) or len(own_ids), ids=", ".join(roots or own_ids)))])
    return roots[0]


# SLA policy properties a process may set once for all its user tasks; a task's own value wins.
PROCESS_DEFAULTS = ("warn_share", "escalate_after")


def _apply_process_defaults(tree: etree._Element, process_id: str, spec) -> None:
    """Copy the process's own `warn_share` / `escalate_after` properties onto user tasks that set none."""
    namespaces = {"bpmn": BPMN_NS, "camunda": CAMUNDA_NS, "spiffworkflow": SPIFF_NS}
    base = f'//bpmn:process[@id="{process_id}"]/bpmn:extensionElements'
    nodes = tree.xpath(f"{base}/spiffworkflow:properties/spiffworkflow:property | {base}/camunda:properties/camunda:property",
                       namespaces=namespaces)
    defaults = {n.get("name"): n.get("value") for n in nodes if n.get("name") in PROCESS_DEFAULTS and n.get("value")}
    if not defaults:
        return
    for task_spec in spec.task_specs.values():
        if getattr(task_spec, "manual", False):
            properties = task_spec.extensions.setdefault("properties", {})
            for key, value in defaults.items():
                properties.setdefault(key, value)


_DECLARED = re.compile(rb"""\A(?:\xef\xbb\xbf)?\s*<\?xml[^>]*?\bencoding\s*=\s*["']([^"']*)["']""")


_DECLARED_TEXT = re.compile(r"""(\A\ufeff?\s*<\?xml[^>]*?\bencoding\s*=\s*["'])[^"']*""")


def as_utf8(xml: bytes, filename: str) -> bytes:
    """The document in UTF-8 (as it is stored and served): a file in another declared encoding whose bytes are that
    encoding is decoded and its declaration rewritten; one whose bytes are not is refused, naming the encoding."""
    found = _DECLARED.match(xml)
    if found is None:
        return xml
    declared = found.group(1).decode("ascii", "replace").strip()
    try:
        codec = codecs.lookup(declared)
    except LookupError as exc:
        raise BpmnRejectedError([BpmnProblem(filename, T("the file declares encoding %(declared)s, which is not known; save "
                                                         "it as UTF-8", declared=declared))]) from exc
    if codec.name == "utf-8":
        return xml
    if not xml.isascii() and _is_utf8(xml):  # UTF-8 under another label: decoding it so would garble every character
        raise BpmnRejectedError([BpmnProblem(filename, T("the file declares encoding %(declared)s but its bytes are UTF-8; "
                                                         "change its declaration to UTF-8", declared=declared))])
    try:
        text = xml.decode(codec.name)
    except UnicodeDecodeError as exc:
        raise BpmnRejectedError([BpmnProblem(filename, T("the file declares encoding %(declared)s but its bytes are not "
                                                         "%(declared)s; save it as UTF-8", declared=declared))]) from exc
    return _DECLARED_TEXT.sub(r"\g<1>UTF-8", text, count=1).encode("utf-8")


def _is_utf8(xml: bytes) -> bool:
    try:
        xml.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _load_xml(xml: bytes, filename: str) -> etree._Element:
    """The document, which must be well-formed UTF-8 (it is stored and served as UTF-8)."""
    try:
        xml.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BpmnRejectedError([BpmnProblem(filename, T('the file is not UTF-8; save BPMN files as UTF-8'))]) from exc
    try:
        tree = etree.fromstring(xml, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as exc:
        raise BpmnRejectedError([BpmnProblem(filename, T('not well-formed XML: %(exc)s', exc=exc))]) from exc
    declared = (tree.getroottree().docinfo.encoding or "UTF-8").upper().replace("_", "-")
    if declared not in ("UTF-8", "UTF8"):
        raise BpmnRejectedError([BpmnProblem(filename, T('the file declares encoding %(declared)s; BPMN files must be UTF-8',
                                                         declared=declared))])
    return tree


def _problem_from_validation(exc: ValidationException) -> BpmnProblem:
    element = getattr(exc, "id", None) or getattr(exc, "name", None) or getattr(exc, "file_name", None) or "definitions"
    message = str(exc).split("\n")[0]
    return BpmnProblem(str(element), message)
