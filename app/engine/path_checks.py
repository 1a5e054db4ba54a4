"""Lint's warnings: ways a case can go that a diagram may mean but an office rarely does.

Not refusals (the process runs as drawn), said beside lint's problems so the owner decides:
- an end a case can reach with no person's step and no `set_case` on the way: the case would be closed
  (a process end closes a case it left without a final status) without anyone answering it;
- a wait for a message with no timer beside it: until someone sends the message the case sits with nothing
  in any inbox and no deadline that could end the wait.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator

from lxml import etree

from app.text import T

from .errors import BpmnProblem
from .flow_checks import BPMN_NS, FLOW_NODES, HUMAN_TASKS, describe, executable_ids, local, outgoing, own_process

WAITING_DEFINITIONS = ("messageEventDefinition", "signalEventDefinition", "conditionalEventDefinition")


def path_warnings(tree: etree._Element) -> list[BpmnProblem]:
    """The warnings of every executable process in the document, each naming its element."""
    warnings = []
    for process_id in executable_ids(tree):
        process = own_process(tree, process_id)
        warnings += [*unattended_ends(process), *waits_without_timer(process)]
    return warnings


def _attended(node: etree._Element) -> bool:
    """A person's step (a user or manual task, a called process, a subprocess holding one) or a script that sets
    the case's fields (`set_case(...)` in a script, pre- or post-script)."""
    if local(node) in HUMAN_TASKS or local(node) == "callActivity":
        return True
    tags = [f"{{{BPMN_NS}}}{tag}" for tag in (*HUMAN_TASKS, "callActivity")]
    if any(True for _ in node.iter(*tags)):
        return True
    return any("set_case(" in text for text in node.itertext())


def unattended_ends(process: etree._Element) -> list[BpmnProblem]:
    nodes = {child.get("id"): child for child in process if local(child) in FLOW_NODES}
    flows = outgoing(process)
    boundaries: dict[str, list[str]] = {}
    for node in nodes.values():
        if local(node) == "boundaryEvent":
            boundaries.setdefault(node.get("attachedToRef"), []).append(node.get("id"))
    queue = deque(node_id for node_id, node in nodes.items() if local(node) == "startEvent")
    seen, reached = set(queue), []
    while queue:
        node = nodes.get(queue.popleft())
        if node is None or _attended(node):
            continue
        if local(node) == "endEvent":
            reached.append(node)
            continue
        following = [flow.get("targetRef") for flow in flows.get(node.get("id"), [])] + boundaries.get(node.get("id"), [])
        for target in following:
            if target not in seen:
                seen.add(target)
                queue.append(target)
    return [BpmnProblem(end.get("id"), T(
        "a case can reach %(element)s with no person's step and no set_case on the way: it would be closed without "
        "an answer; put a user task (or a script with set_case(status=..., answer=...)) on that path if that is not "
        "meant", element=describe(end))) for end in reached]


def _message_name(definition: etree._Element, root: etree._Element) -> str:
    ref = definition.get("messageRef") or definition.get("signalRef")
    if ref:
        found = root.xpath("//*[@id=$id]", id=ref)
        return (found[0].get("name") if found else None) or ref
    return local(definition).removesuffix("EventDefinition")


def _waiting_definition(node: etree._Element) -> etree._Element | None:
    for tag in WAITING_DEFINITIONS:
        definition = node.find(f"{{{BPMN_NS}}}{tag}")
        if definition is not None:
            return definition
    return None


def _waits(process: etree._Element) -> Iterator[tuple[etree._Element, list[str]]]:
    """Elements where a case waits for messages only: (element, the message names)."""
    root = process.getroottree().getroot()
    for scope in [process, *process.iter(f"{{{BPMN_NS}}}subProcess")]:
        children = {child.get("id"): child for child in scope}
        flows = outgoing(scope)
        behind_gateway = {flow.get("targetRef") for node in children.values() if local(node) == "eventBasedGateway"
                          for flow in flows.get(node.get("id"), [])}
        timed = {node.get("attachedToRef") for node in children.values() if local(node) == "boundaryEvent"
                 and node.find(f"{{{BPMN_NS}}}timerEventDefinition") is not None}
        for node_id, node in children.items():
            kind = local(node)
            if kind == "eventBasedGateway":
                targets = [children.get(flow.get("targetRef")) for flow in flows.get(node_id, [])]
                targets = [t for t in targets if t is not None]
                if targets and all(t.find(f"{{{BPMN_NS}}}timerEventDefinition") is None for t in targets):
                    names = [_message_name(d, root) for d in map(_waiting_definition, targets) if d is not None]
                    yield node, names
            elif kind == "intermediateCatchEvent" and node_id not in behind_gateway:
                definition = _waiting_definition(node)
                if definition is not None:
                    yield node, [_message_name(definition, root)]
            elif kind == "receiveTask" and node_id not in timed:
                yield node, [_message_name(node, root) if node.get("messageRef") else "message"]


def waits_without_timer(process: etree._Element) -> list[BpmnProblem]:
    return [BpmnProblem(node.get("id"), T(
        "%(element)s waits for %(names)s with no timer beside it: until it is sent (POST /api/v1/cases/NUMBER/events/"
        "NAME, or minyi processes message) the case waits with no deadline; add a timer (an event-based gateway with "
        "a timer, or a timer boundary event) so the wait can end", element=describe(node), names=", ".join(
            f"'{name}'" for name in names) or T("a message"))) for node, names in _waits(process)]
