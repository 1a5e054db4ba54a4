"""What changed between two versions of a process, element by element, for people.

Read from the executable content of the BPMN (the diagram layout is never looked at), so moving a
shape is no change while a renamed task, a new `due` or an edited condition is. Sequence flows are
elements like the others.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from app.text import T

from .errors import BpmnProblem, BpmnRejectedError
from .parser import BPMN_NS, CAMUNDA_NS, PROCESS_DEFAULTS, SPIFF_NS

NS = {"bpmn": BPMN_NS, "camunda": CAMUNDA_NS, "spiffworkflow": SPIFF_NS}
FLOW_ELEMENTS = frozenset({
    "startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent", "boundaryEvent",
    "task", "userTask", "manualTask", "scriptTask", "serviceTask", "sendTask", "receiveTask", "businessRuleTask",
    "callActivity", "subProcess", "transaction",
    "exclusiveGateway", "parallelGateway", "inclusiveGateway", "eventBasedGateway", "complexGateway",
    "sequenceFlow",
})
SLA_PROPERTIES = ("due", "warn_share", "escalate_after")
# The order attributes are reported in.
ATTRIBUTES = ("type", "name", "lane", "form", *SLA_PROPERTIES, "script", "pre_script", "post_script", "condition",
              "default", "source", "target", "incoming", "outgoing", "timer", "event", "attached_to", "interrupting",
              "called_element", "multi_instance")


def element_diff(old_xml: bytes, new_xml: bytes) -> dict[str, list[dict[str, Any]]]:
    """{added, removed, changed}: each element with id, type and name; changed ones with their
    `changes` [{attribute, old, new}] in a fixed attribute order."""
    old, new = elements_of(old_xml), elements_of(new_xml)
    added = [_summary(i, new[i]) for i in sorted(set(new) - set(old))]
    removed = [_summary(i, old[i]) for i in sorted(set(old) - set(new))]
    changed = []
    for element_id in sorted(set(old) & set(new)):
        changes = [{"attribute": a, "old": old[element_id].get(a), "new": new[element_id].get(a)}
                   for a in ATTRIBUTES if old[element_id].get(a) != new[element_id].get(a)]
        if changes:
            changed.append({**_summary(element_id, new[element_id]), "changes": changes})
    return {"added": added, "removed": removed, "changed": changed}


def _summary(element_id: str, attributes: dict[str, Any]) -> dict[str, Any]:
    return {"id": element_id, "type": attributes["type"], "name": attributes.get("name")}


def elements_of(xml: bytes) -> dict[str, dict[str, Any]]:
    """The executable process's flow elements (nested sub-processes included) by id, with what they do."""
    try:
        tree = etree.fromstring(xml, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as exc:
        raise BpmnRejectedError([BpmnProblem("definitions", T('not well-formed XML: %(exc)s', exc=exc))]) from exc
    process = _executable_process(tree)
    if process is None:
        return {}
    lanes = {ref.text.strip(): lane.get("name") or lane.get("id")
             for lane in process.iter(f"{{{BPMN_NS}}}lane") for ref in lane.findall("bpmn:flowNodeRef", NS) if ref.text}
    defaults = {k: v for k, v in _properties(process).items() if k in PROCESS_DEFAULTS}
    found = {}
    for node in process.iter(f"{{{BPMN_NS}}}*"):
        kind = etree.QName(node).localname
        if kind in FLOW_ELEMENTS and node.get("id"):
            found[node.get("id")] = _attributes(node, kind, lanes, defaults)
    flows = [a for a in found.values() if a["type"] == "sequenceFlow"]
    for element_id, attributes in found.items():
        if attributes["type"] != "sequenceFlow":
            attributes["incoming"] = sorted(f["id"] for f in flows if f["target"] == element_id) or None
            attributes["outgoing"] = sorted(f["id"] for f in flows if f["source"] == element_id) or None
    for attributes in found.values():
        attributes.pop("id", None)
    return found


def _executable_process(tree):
    for process in tree.iter(f"{{{BPMN_NS}}}process"):
        if process.get("isExecutable", "true") != "false":
            return process
    return None


def _attributes(node, kind: str, lanes: dict[str, str], defaults: dict[str, str]) -> dict[str, Any]:
    attributes: dict[str, Any] = {"id": node.get("id"), "type": kind, "name": node.get("name")}
    if kind == "sequenceFlow":
        attributes.update(source=node.get("sourceRef"), target=node.get("targetRef"),
                          condition=_text(node.find("bpmn:conditionExpression", NS)))
        return attributes
    properties = _properties(node)
    if kind == "userTask":
        properties = {**defaults, **properties}
        attributes["form"] = node.get(f"{{{CAMUNDA_NS}}}formKey") or properties.get("formKey") or properties.get("form")
    attributes.update({name: properties.get(name) for name in SLA_PROPERTIES})
    attributes.update(
        lane=lanes.get(node.get("id")),
        script=_text(node.find("bpmn:script", NS)),
        pre_script=_text(node.find("bpmn:extensionElements/spiffworkflow:preScript", NS)),
        post_script=_text(node.find("bpmn:extensionElements/spiffworkflow:postScript", NS)),
        default=node.get("default"),
        timer=_timer(node),
        event=_events(node),
        attached_to=node.get("attachedToRef"),
        interrupting=None if kind != "boundaryEvent" else node.get("cancelActivity", "true") != "false",
        called_element=node.get("calledElement"),
        multi_instance=_multi_instance(node),
    )
    return attributes


def _properties(node) -> dict[str, str]:
    found = node.xpath("./bpmn:extensionElements/spiffworkflow:properties/spiffworkflow:property"
                       " | ./bpmn:extensionElements/camunda:properties/camunda:property", namespaces=NS)
    return {p.get("name"): p.get("value") for p in found if p.get("name")}


def _timer(node) -> str | None:
    definition = node.find("bpmn:timerEventDefinition", NS)
    if definition is None:
        return None
    for kind in ("timeDuration", "timeDate", "timeCycle"):
        value = definition.find(f"bpmn:{kind}", NS)
        if value is not None:
            return f"{kind}: {_text(value)}"
    return ""


def _events(node) -> str | None:
    """The event definitions other than timers, with the message or signal they name."""
    found = []
    for child in node:
        kind = etree.QName(child).localname
        if kind.endswith("EventDefinition") and kind != "timerEventDefinition":
            ref = child.get("messageRef") or child.get("signalRef") or child.get("escalationRef") or child.get("errorRef")
            found.append(f"{kind.removesuffix('EventDefinition')}" + (f" {ref}" if ref else ""))
    return ", ".join(found) or None


def _multi_instance(node) -> dict[str, Any] | None:
    loop = node.find("bpmn:multiInstanceLoopCharacteristics", NS)
    if loop is None:
        return None
    settings = {"sequential": loop.get("isSequential", "false") == "true",
                "collection": loop.get(f"{{{CAMUNDA_NS}}}collection"),
                "element_variable": loop.get(f"{{{CAMUNDA_NS}}}elementVariable")}
    for tag in ("loopCardinality", "loopDataInputRef", "loopDataOutputRef", "completionCondition"):
        settings[tag] = _text(loop.find(f"bpmn:{tag}", NS))
    for tag in ("inputDataItem", "outputDataItem"):
        item = loop.find(f"bpmn:{tag}", NS)
        settings[tag] = None if item is None else (item.get("name") or item.get("id"))
    return {k: v for k, v in settings.items() if v is not None}


def _text(node) -> str | None:
    if node is None or node.text is None:
        return None
    return node.text.strip()
