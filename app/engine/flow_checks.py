"""Deploy-time checks of the diagram's shape, read from the BPMN XML itself.

The parsed spec forgets what a process owner sees and clicks on: sequence flow ids, lanes that hold
no task, elements nothing leads to. These checks walk the document instead, so each problem names
the element the workbench marks on the diagram (a gateway, an arrow, a lane, a task).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from lxml import etree

from app.text import T

from .complements import some_condition_holds
from .errors import BpmnProblem

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
NS = {"bpmn": BPMN_NS}
ACTIVITIES = {"task", "userTask", "manualTask", "scriptTask", "serviceTask", "sendTask", "receiveTask",
              "businessRuleTask", "callActivity", "subProcess", "transaction", "adHocSubProcess"}
EVENTS = {"startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent", "boundaryEvent"}
GATEWAYS = {"exclusiveGateway", "inclusiveGateway", "parallelGateway", "eventBasedGateway", "complexGateway"}
FLOW_NODES = ACTIVITIES | EVENTS | GATEWAYS
SCOPES = {"process", "subProcess", "transaction", "adHocSubProcess"}
CONDITIONAL_GATEWAYS = ("exclusiveGateway", "inclusiveGateway")
HUMAN_TASKS = ("userTask", "manualTask")


def local(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


# What a message calls each kind of element (the modeler's words for them).
KINDS = {
    "task": T("task"), "userTask": T("user task"), "manualTask": T("manual task"), "scriptTask": T("script task"),
    "serviceTask": T("service task"), "sendTask": T("send task"), "receiveTask": T("receive task"),
    "businessRuleTask": T("business rule task"), "callActivity": T("call activity"), "subProcess": T("sub-process"),
    "transaction": T("transaction"), "adHocSubProcess": T("ad-hoc sub-process"), "startEvent": T("start event"),
    "endEvent": T("end event"), "intermediateCatchEvent": T("intermediate catch event"),
    "intermediateThrowEvent": T("intermediate throw event"), "boundaryEvent": T("boundary event"),
    "exclusiveGateway": T("exclusive gateway"), "inclusiveGateway": T("inclusive gateway"),
    "parallelGateway": T("parallel gateway"), "eventBasedGateway": T("event-based gateway"),
    "complexGateway": T("complex gateway"),
}


def describe(element: etree._Element) -> str:
    """How a message names an element: "user task 'Check facts'", "exclusive gateway 'gw'"."""
    kind = KINDS.get(local(element)) or re.sub(r"(?<!^)(?=[A-Z])", " ", local(element)).lower()
    return T("%(kind)s '%(name)s'", kind=kind, name=element.get("name") or element.get("id"))


def executable_ids(tree: etree._Element) -> list[str]:
    return [p.get("id") for p in tree.iter(f"{{{BPMN_NS}}}process") if p.get("isExecutable", "true") != "false"]


def own_process(tree: etree._Element, process_id: str) -> etree._Element:
    return tree.xpath("//bpmn:process[@id=$id]", namespaces=NS, id=process_id)[0]


def scope_ids(tree: etree._Element) -> set[str]:
    """Ids of the document's processes and subprocesses: the specs parsed from this file rather than a called one."""
    return {node.get("id") for node in tree.iter(*(f"{{{BPMN_NS}}}{tag}" for tag in SCOPES))}


def check_flows(tree: etree._Element, process_id: str, known_lanes: Iterable[str],
                receivable: Callable[[str], bool] | None = None) -> list[BpmnProblem]:
    """Gateways that can strand a case, elements that are never reached or never finish, lanes without a group."""
    process = own_process(tree, process_id)
    return [*missing_defaults(process), *ignored_conditions(process), *reachability(process),
            *lane_problems(process, set(known_lanes), receivable), *start_problems(process)]


def start_problems(process: etree._Element) -> list[BpmnProblem]:
    """A process starts when its case is registered: a start event of the process itself that waits for a message
    would never start it. (An event subprocess's message start is a message to a running case.)"""
    return [BpmnProblem(start.get("id"), T(
                "%(element)s waits for a message, but a case's process starts when the case is registered: make it a "
                "plain start event, and let a message catch event receive the message in the running case (POST "
                "/api/v1/cases/NUMBER/events/NAME, or minyi processes message)", element=describe(start)))
            for start in process.iterchildren(f"{{{BPMN_NS}}}startEvent")
            if start.find(f"{{{BPMN_NS}}}messageEventDefinition") is not None]


def outgoing(scope: etree._Element) -> dict[str, list[etree._Element]]:
    """Source id -> the sequence flows leaving it, within one process or subprocess."""
    flows: dict[str, list[etree._Element]] = {}
    for flow in scope.iterchildren(f"{{{BPMN_NS}}}sequenceFlow"):
        flows.setdefault(flow.get("sourceRef"), []).append(flow)
    return flows


def _condition(flow: etree._Element) -> str | None:
    node = flow.find(f"{{{BPMN_NS}}}conditionExpression")
    if node is None:
        return None
    return (node.text or "").strip() or None


def _conditional_gateways(root: etree._Element) -> Iterable[tuple[etree._Element, list[etree._Element]]]:
    """Exclusive and inclusive gateways of executable processes (the engine never reads the others)."""
    processes = [root] if local(root) in SCOPES else list(root.iter(f"{{{BPMN_NS}}}process"))
    for process in processes:
        if process.get("isExecutable", "true") == "false":
            continue
        for gateway in process.iter(*(f"{{{BPMN_NS}}}{tag}" for tag in CONDITIONAL_GATEWAYS)):
            yield gateway, outgoing(gateway.getparent()).get(gateway.get("id"), [])


def ambiguous_flows(tree: etree._Element) -> list[BpmnProblem]:
    """Flows out of an exclusive or inclusive gateway the engine cannot choose between.

    Checked before the engine parses, which refuses them with a message a process owner cannot act on:
    a flow without a condition that is not the default, and a default that is not an outgoing flow.
    """
    problems = []
    for gateway, flows in _conditional_gateways(tree):
        default, ids = gateway.get("default"), [f.get("id") for f in flows]
        if default is not None and default not in ids:
            problems.append(BpmnProblem(gateway.get("id"), T("%(element)s names '%(default)s' as its default flow, which does not "
                                                             'leave it; choose one of %(names)s',
                                                             element=describe(gateway), default=default,
                                                             names=', '.join(ids) or T('its outgoing flows'))))
        elif len(flows) > 1:
            problems.extend(
                BpmnProblem(flow.get("id"), T("the flow from %(element)s to '%(value)s' has no condition and is not the default: "
                                              "give it a condition, or mark it as the gateway's default flow",
                                              element=describe(gateway), value=flow.get('targetRef')))
                for flow in flows if _condition(flow) is None and flow.get("id") != default)
    return problems


def several_ways_out(tree: etree._Element) -> list[BpmnProblem]:
    """Tasks and intermediate events with more than one outgoing flow, which the engine refuses to parse.

    Only gateways (and start events) may split; a process owner from Camunda expects a task to split
    by itself, so say which gateway to draw instead.
    """
    problems = []
    for process in tree.iter(f"{{{BPMN_NS}}}process"):
        if process.get("isExecutable", "true") == "false":
            continue
        for scope in [process, *process.iter(*(f"{{{BPMN_NS}}}{tag}" for tag in SCOPES - {"process"}))]:
            nodes = {n.get("id"): n for n in scope.iterchildren() if local(n) in FLOW_NODES - GATEWAYS - {"startEvent"}}
            for source, flows in outgoing(scope).items():
                if source in nodes and len(flows) > 1:
                    problems.append(BpmnProblem(source, T('%(element)s has %(count)s outgoing flows, but only a gateway can split '
                                                          'the flow: draw an exclusive gateway after it to choose one way by '
                                                          'conditions, or a parallel gateway to take them all',
                                                          element=describe(nodes[source]), count=len(flows))))
    return problems


def ignored_conditions(process: etree._Element) -> list[BpmnProblem]:
    """A condition on a flow that does not leave an exclusive or inclusive gateway is never evaluated."""
    problems = []
    for scope in [process, *process.iter(*(f"{{{BPMN_NS}}}{tag}" for tag in SCOPES - {"process"}))]:
        nodes = {n.get("id"): n for n in scope.iterchildren() if local(n) in FLOW_NODES}
        for source, flows in outgoing(scope).items():
            if source not in nodes or local(nodes[source]) in CONDITIONAL_GATEWAYS:
                continue
            problems.extend(BpmnProblem(flow.get("id"), T('the condition on the flow from %(element)s is never evaluated: only flows '
                                                          'out of an exclusive or inclusive gateway are chosen by condition; put an '
                                                          'exclusive gateway before this flow, or delete the condition',
                                                          element=describe(nodes[source])))
                            for flow in flows if _condition(flow) is not None)
    return problems


def missing_defaults(process: etree._Element) -> list[BpmnProblem]:
    """A gateway whose every outgoing flow has a condition and none is the default strands the case when all are false.

    Conditions of which one is the other's opposite (`x` / `not x`, `x == 1` / `x != 1`) need none: one always holds.
    """
    problems = []
    for gateway, flows in _conditional_gateways(process):
        conditions = [_condition(f) for f in flows]
        if (flows and gateway.get("default") is None and None not in conditions
                and not some_condition_holds(conditions)):
            problems.append(BpmnProblem(gateway.get("id"), T('%(element)s has no default flow: if no condition holds the case stops '
                                                             'here; mark one outgoing flow as the default',
                                                             element=describe(gateway))))
    return problems


def reachability(scope: etree._Element, may_be_cut_short: bool = False) -> list[BpmnProblem]:
    """Elements no path from a start event reaches, and activities from which no path reaches an end.

    Each process and subprocess is its own scope: a subprocess is entered through its own start
    event, and an event subprocess starts by itself. An activity's boundary events count as
    reached (and as a way out) whenever the activity is.
    """
    nodes = {n.get("id"): n for n in scope.iterchildren() if local(n) in FLOW_NODES}
    edges = _edges(scope, nodes)
    starts = [i for i, n in nodes.items() if local(n) == "startEvent" or _is_event_subprocess(n)]
    if not starts:
        return []  # the engine refuses a process without a start; a subprocess without one is left to it
    reached = _closure(starts, edges)
    # A compensation handler is reached through an association from its boundary event, never by a sequence flow.
    problems = [BpmnProblem(i, T('%(element)s cannot be reached from the start event: no sequence flow leads to it; connect it with '
                                 'a flow or delete it',
                                 element=describe(n)))
                for i, n in nodes.items() if i not in reached and n.get("isForCompensation") != "true"]
    # A loop may be meant to run until something else ends it: a terminate end event elsewhere, an event
    # subprocess, or a boundary event on the enclosing subprocess. Only flag loops nothing can end.
    may_be_cut_short = may_be_cut_short or any(
        _is_event_subprocess(n) or n.find(f"{{{BPMN_NS}}}terminateEventDefinition") is not None for n in nodes.values())
    if not may_be_cut_short:
        problems += _never_finishing(nodes, edges, reached)
    for node_id, node in nodes.items():
        if local(node) in SCOPES and node_id in reached:
            problems.extend(reachability(node, may_be_cut_short or bool(edges.get(node_id, set()) & _boundaries(nodes))))
    return problems


def _boundaries(nodes: dict[str, etree._Element]) -> set[str]:
    return {i for i, n in nodes.items() if local(n) == "boundaryEvent"}


def _never_finishing(nodes: dict[str, etree._Element], edges: dict[str, set[str]], reached: set[str]) -> list[BpmnProblem]:
    backwards: dict[str, set[str]] = {}
    for source, targets in edges.items():
        for target in targets:
            backwards.setdefault(target, set()).add(source)
    # A node with no way on ends its path (the engine treats it as an implicit end), as does an end event.
    ends = [i for i, n in nodes.items() if local(n) == "endEvent" or not edges.get(i)]
    finishing = _closure(ends, backwards)
    return [BpmnProblem(i, T('once a case reaches %(element)s it can never finish: every path from it loops back without reaching an '
                             "end event; add a flow out of the loop (e.g. a gateway's default to an end)",
                             element=describe(n)))
            for i, n in nodes.items() if i in reached and i not in finishing and local(n) in ACTIVITIES]


def _is_event_subprocess(node: etree._Element) -> bool:
    return local(node) == "subProcess" and node.get("triggeredByEvent") == "true"


def _edges(scope: etree._Element, nodes: dict[str, etree._Element]) -> dict[str, set[str]]:
    """Sequence flows, activity -> its boundary events, and link throw -> link catch of the same name."""
    edges: dict[str, set[str]] = {}
    for source, flows in outgoing(scope).items():
        edges.setdefault(source, set()).update(f.get("targetRef") for f in flows)
    catches: dict[str, list[str]] = {}
    for node_id, node in nodes.items():
        if local(node) == "boundaryEvent":
            edges.setdefault(node.get("attachedToRef"), set()).add(node_id)
        link = node.find(f"{{{BPMN_NS}}}linkEventDefinition")
        if link is not None and local(node) == "intermediateCatchEvent":
            catches.setdefault(link.get("name"), []).append(node_id)
    for node_id, node in nodes.items():
        link = node.find(f"{{{BPMN_NS}}}linkEventDefinition")
        if link is not None and local(node) == "intermediateThrowEvent":
            edges.setdefault(node_id, set()).update(catches.get(link.get("name"), []))
    return edges


def _closure(starts: Iterable[str], edges: dict[str, set[str]]) -> set[str]:
    seen: set[str] = set()
    stack = list(starts)
    while stack:
        current = stack.pop()
        if current not in seen:
            seen.add(current)
            stack.extend(edges.get(current, ()))
    return seen


def lane_problems(process: etree._Element, known_lanes: set[str],
                  receivable: Callable[[str], bool] | None = None) -> list[BpmnProblem]:
    """Lanes whose name reaches no group (neither mapped nor a group's own name). A task in no lane is done by its
    candidate group or its process's default group, so it is no problem.

    Only innermost lanes say who does a task (a lane holding child lanes is a heading), so only they are checked.
    """
    reaches = receivable or known_lanes.__contains__
    problems = []
    known = ", ".join(sorted(known_lanes)) or "none are defined yet"
    for lane in process.iter(f"{{{BPMN_NS}}}lane"):
        if lane.find(f"{{{BPMN_NS}}}childLaneSet") is not None:
            continue
        name = (lane.get("name") or "").strip()
        if not name:
            problems.append(BpmnProblem(lane.get("id"), T('a lane has no name: name it after the group that does its tasks (lane '
                                                          'groups: %(known)s)',
                                                          known=known)))
        elif not reaches(name):
            problems.append(BpmnProblem(lane.get("id"), T("lane '%(name)s' maps to no known group: rename it to one of %(known)s, or "
                                                          "map it to a group (minyi lanes map %(name)s GROUP, or the lanes page)",
                                                          name=name, known=known)))
    return problems
