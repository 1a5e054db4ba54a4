"""One small diagram for each BPMN construct Minyi runs, written for this (issue 23): the modeler must keep each
through a load and save (tests/browser/test_modeler_round_trip.py) and each lints clean
(tests/web/test_construct_diagrams.py). `laid_out` draws a diagram for the XML (bpmn-js shows only what has one)."""

from __future__ import annotations

from lxml import etree

from tests.unit.bpmn_factory import HEADER

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
DI = "http://www.omg.org/spec/DD/20100524/DI"


def _help(body: str, before: str = "", header: str = HEADER) -> bytes:
    return (header + before + f'<bpmn:process id="help" isExecutable="true">{body}</bpmn:process></bpmn:definitions>'
            ).encode("ascii" if "ASCII" in header else "utf-8")


def _flow(flow_id: str, source: str, target: str, condition: str | None = None) -> str:
    if condition is None:
        return f'<bpmn:sequenceFlow id="{flow_id}" sourceRef="{source}" targetRef="{target}"/>'
    return (f'<bpmn:sequenceFlow id="{flow_id}" sourceRef="{source}" targetRef="{target}">'
            f"<bpmn:conditionExpression>{condition}</bpmn:conditionExpression></bpmn:sequenceFlow>")


ANSWER = '<bpmn:scriptTask id="answer" name="Answer"><bpmn:script>set_case(answer="done")</bpmn:script></bpmn:scriptTask>'

CONSTRUCTS = {
    "candidate groups, users and an assignee expression": _help(
        '<bpmn:startEvent id="start"/>' + _flow("f1", "start", "pick") +
        '<bpmn:scriptTask id="pick" name="Pick"><bpmn:script>clerk = "intake1"</bpmn:script></bpmn:scriptTask>'
        + _flow("f2", "pick", "check") +
        '<bpmn:userTask id="check" name="Check" camunda:candidateGroups="intake" camunda:assignee="${clerk}"/>'
        + _flow("f3", "check", "review") +
        '<bpmn:userTask id="review" name="Review" camunda:candidateUsers="intake1" camunda:candidateGroups="handler@*"/>'
        + _flow("f4", "review", "end") + '<bpmn:endEvent id="end"/>'),
    "multi-instance over a collection (Camunda)": _help(
        '<bpmn:startEvent id="start"/>' + _flow("f1", "start", "prepare") +
        '<bpmn:scriptTask id="prepare" name="Prepare"><bpmn:script>offices = ["ENV", "HOUSING"]</bpmn:script>'
        '</bpmn:scriptTask>' + _flow("f2", "prepare", "each") +
        '<bpmn:userTask id="each" name="Each office"><bpmn:multiInstanceLoopCharacteristics '
        'camunda:collection="offices" camunda:elementVariable="office"/></bpmn:userTask>'
        + _flow("f3", "each", "end") + '<bpmn:endEvent id="end"/>'),
    "multi-instance with input and output variables (SpiffWorkflow)": _help(
        '<bpmn:startEvent id="start"/>' + _flow("f1", "start", "prepare") +
        '<bpmn:scriptTask id="prepare" name="Prepare"><bpmn:script>offices = ["ENV", "HOUSING"]</bpmn:script>'
        '</bpmn:scriptTask>' + _flow("f2", "prepare", "each") +
        '<bpmn:scriptTask id="each" name="Each office"><bpmn:multiInstanceLoopCharacteristics isSequential="true">'
        '<bpmn:loopDataInputRef>offices</bpmn:loopDataInputRef><bpmn:loopDataOutputRef>notes</bpmn:loopDataOutputRef>'
        '<bpmn:inputDataItem id="office" name="office"/><bpmn:outputDataItem id="note" name="note"/>'
        '</bpmn:multiInstanceLoopCharacteristics><bpmn:script>note = office + " asked"</bpmn:script></bpmn:scriptTask>'
        + _flow("f3", "each", "end") + '<bpmn:endEvent id="end"/>'),
    "a loop with a condition": _help(
        '<bpmn:startEvent id="start"/>' + _flow("f1", "start", "prepare") +
        '<bpmn:scriptTask id="prepare" name="Prepare"><bpmn:script>count = 0</bpmn:script></bpmn:scriptTask>'
        + _flow("f2", "prepare", "tally") +
        '<bpmn:scriptTask id="tally" name="Tally"><bpmn:standardLoopCharacteristics><bpmn:loopCondition>count &gt;= 3'
        '</bpmn:loopCondition></bpmn:standardLoopCharacteristics><bpmn:script>count = count + 1</bpmn:script>'
        '</bpmn:scriptTask>' + _flow("f3", "tally", "answer") + ANSWER + _flow("f4", "answer", "end")
        + '<bpmn:endEvent id="end"/>'),
    "pre- and post-scripts, instructions and a clock": _help(
        '<bpmn:startEvent id="start"/>' + _flow("f1", "start", "check") +
        '<bpmn:userTask id="check" name="Check"><bpmn:documentation>Check the facts on site.</bpmn:documentation>'
        '<bpmn:extensionElements><spiffworkflow:preScript>visits = 1</spiffworkflow:preScript>'
        '<spiffworkflow:postScript>visits = visits + 1</spiffworkflow:postScript>'
        '<spiffworkflow:instructionsForEndUser>Visit within {{ visits }} days</spiffworkflow:instructionsForEndUser>'
        '<spiffworkflow:properties><spiffworkflow:property name="due" value="working_days(5)"/>'
        '<spiffworkflow:property name="warn_share" value="0.8"/></spiffworkflow:properties>'
        '</bpmn:extensionElements></bpmn:userTask>' + _flow("f2", "check", "end") + '<bpmn:endEvent id="end"/>'),
    "an event-based gateway with a timer and a message": _help(
        '<bpmn:startEvent id="start"/>' + _flow("f1", "start", "ask") + '<bpmn:userTask id="ask" name="Ask"/>'
        + _flow("f2", "ask", "gw") + '<bpmn:eventBasedGateway id="gw" name="Reply or two days"/>'
        + _flow("f3", "gw", "two_days") + _flow("f4", "gw", "reply") +
        '<bpmn:intermediateCatchEvent id="two_days" name="Two days"><bpmn:timerEventDefinition>'
        '<bpmn:timeDuration>"P2D"</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>'
        '<bpmn:intermediateCatchEvent id="reply" name="Papers arrive"><bpmn:messageEventDefinition id="md" '
        'messageRef="papers"/></bpmn:intermediateCatchEvent>' + _flow("f5", "two_days", "answer") + ANSWER
        + _flow("f6", "answer", "end") + _flow("f7", "reply", "handle") + '<bpmn:userTask id="handle" name="Handle"/>'
        + _flow("f8", "handle", "end2") + '<bpmn:endEvent id="end"/><bpmn:endEvent id="end2"/>',
        before='<bpmn:message id="papers" name="papers"/>'),
    "timer boundary events, interrupting and not": _help(
        '<bpmn:startEvent id="start"/>' + _flow("f1", "start", "handle") + '<bpmn:userTask id="handle" name="Handle"/>'
        + _flow("f2", "handle", "end") + '<bpmn:endEvent id="end"/>'
        '<bpmn:boundaryEvent id="remind" name="Remind" attachedToRef="handle" cancelActivity="false">'
        '<bpmn:timerEventDefinition><bpmn:timeDuration>"P1D"</bpmn:timeDuration></bpmn:timerEventDefinition>'
        '</bpmn:boundaryEvent>' + _flow("f3", "remind", "note") +
        '<bpmn:scriptTask id="note" name="Note"><bpmn:script>reminded = True</bpmn:script></bpmn:scriptTask>'
        + _flow("f4", "note", "noted") + '<bpmn:endEvent id="noted"/>'
        '<bpmn:boundaryEvent id="late" name="Too late" attachedToRef="handle">'
        '<bpmn:timerEventDefinition><bpmn:timeDuration>"P10D"</bpmn:timeDuration></bpmn:timerEventDefinition>'
        '</bpmn:boundaryEvent>' + _flow("f5", "late", "escalate") + '<bpmn:userTask id="escalate" name="Escalate"/>'
        + _flow("f6", "escalate", "end2") + '<bpmn:endEvent id="end2"/>'),
    "a message boundary event and a message catch": _help(
        '<bpmn:startEvent id="start"/>' + _flow("f1", "start", "handle") + '<bpmn:userTask id="handle" name="Handle"/>'
        + _flow("f2", "handle", "wait") + '<bpmn:intermediateCatchEvent id="wait" name="Receipt"><bpmn:messageEventDefinition '
        'id="md1" messageRef="receipt"/></bpmn:intermediateCatchEvent>' + _flow("f3", "wait", "end")
        + '<bpmn:endEvent id="end"/><bpmn:boundaryEvent id="withdrawn" name="Withdrawn" attachedToRef="handle">'
        '<bpmn:messageEventDefinition id="md2" messageRef="withdrawal"/></bpmn:boundaryEvent>'
        + _flow("f4", "withdrawn", "end2") + '<bpmn:endEvent id="end2"/>',
        before='<bpmn:message id="receipt" name="receipt"/><bpmn:message id="withdrawal" name="withdrawal"/>'),
    "an embedded subprocess with a timer on it": _help(
        '<bpmn:startEvent id="start"/>' + _flow("f1", "start", "visit") +
        '<bpmn:subProcess id="visit" name="Visit"><bpmn:startEvent id="v_start"/>' + _flow("v1", "v_start", "go")
        + '<bpmn:userTask id="go" name="Go there"/>' + _flow("v2", "go", "v_end") + '<bpmn:endEvent id="v_end"/>'
        '</bpmn:subProcess>' + _flow("f2", "visit", "end") + '<bpmn:endEvent id="end"/>'
        '<bpmn:boundaryEvent id="week" name="A week" attachedToRef="visit"><bpmn:timerEventDefinition>'
        '<bpmn:timeDuration>"P7D"</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>'
        + _flow("f3", "week", "answer") + ANSWER + _flow("f4", "answer", "end2") + '<bpmn:endEvent id="end2"/>'),
    "exclusive, parallel and inclusive gateways": _help(
        '<bpmn:startEvent id="start"/>' + _flow("f1", "start", "xor") +
        '<bpmn:exclusiveGateway id="xor" name="Major?" default="f3"/>'
        + _flow("f2", "xor", "fork", 'channel == "app"') + _flow("f3", "xor", "or") +
        '<bpmn:parallelGateway id="fork"/>' + _flow("f4", "fork", "a") + _flow("f5", "fork", "b") +
        '<bpmn:userTask id="a" name="A"/><bpmn:userTask id="b" name="B"/>' + _flow("f6", "a", "join")
        + _flow("f7", "b", "join") + '<bpmn:parallelGateway id="join"/>' + _flow("f8", "join", "end") +
        '<bpmn:inclusiveGateway id="or" name="Which?" default="f10"/>' + _flow("f9", "or", "c", "major")
        + _flow("f10", "or", "d") + '<bpmn:userTask id="c" name="C"/><bpmn:userTask id="d" name="D"/>'
        + _flow("f11", "c", "merge") + _flow("f12", "d", "merge") + '<bpmn:inclusiveGateway id="merge"/>'
        + _flow("f13", "merge", "end2") + '<bpmn:endEvent id="end"/><bpmn:endEvent id="end2"/>'),
    "a terminate end on one branch": _help(
        '<bpmn:startEvent id="start"/>' + _flow("f1", "start", "fork") + '<bpmn:parallelGateway id="fork"/>'
        + _flow("f2", "fork", "a") + _flow("f3", "fork", "b") + '<bpmn:userTask id="a" name="A"/>'
        '<bpmn:userTask id="b" name="B"/>' + _flow("f4", "a", "stop") + _flow("f5", "b", "end") +
        '<bpmn:endEvent id="stop" name="Stop all"><bpmn:terminateEventDefinition/></bpmn:endEvent>'
        '<bpmn:endEvent id="end"/>'),
    "a caller and its callee in one file": (HEADER + (
        '<bpmn:process id="help" isExecutable="true"><bpmn:startEvent id="start"/>' + _flow("f1", "start", "check") +
        '<bpmn:callActivity id="check" name="Check it" calledElement="help_check"/>' + _flow("f2", "check", "end") +
        '<bpmn:endEvent id="end"/></bpmn:process>'
        '<bpmn:process id="help_check" isExecutable="true"><bpmn:startEvent id="c_start"/>'
        + _flow("c1", "c_start", "visit") + '<bpmn:userTask id="visit" name="Visit"/>' + _flow("c2", "visit", "c_end")
        + '<bpmn:endEvent id="c_end"/></bpmn:process></bpmn:definitions>')).encode(),
    "a lane whose name maps to a group": _help(
        '<bpmn:laneSet id="lanes"><bpmn:lane id="intake_lane" name="Intake"><bpmn:flowNodeRef>start</bpmn:flowNodeRef>'
        '<bpmn:flowNodeRef>t</bpmn:flowNodeRef><bpmn:flowNodeRef>end</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>'
        '<bpmn:startEvent id="start"/>' + _flow("f1", "start", "t") + '<bpmn:userTask id="t" name="Answer"/>'
        + _flow("f2", "t", "end") + '<bpmn:endEvent id="end"/>'),
    "a file declared ASCII": _help(
        '<bpmn:startEvent id="start"/>' + _flow("f1", "start", "t") + '<bpmn:userTask id="t" name="Answer"/>'
        + _flow("f2", "t", "end") + '<bpmn:endEvent id="end"/>',
        header=HEADER.replace('encoding="UTF-8"', 'encoding="ASCII"')),
}

TASK, EVENT, GATEWAY = (100, 80), (36, 36), (50, 50)
STEP = 60


def _size(element) -> tuple[int, int]:
    name = etree.QName(element).localname
    if name.endswith("Event"):
        return EVENT
    if name.endswith("Gateway"):
        return GATEWAY
    return TASK


def _place(scope, x: int, y: int, bounds: dict) -> int:
    """Lays the scope's flow nodes out in a row from (x, y); returns the row's right edge."""
    for element in scope:
        if not isinstance(element.tag, str) or etree.QName(element).namespace != BPMN:
            continue
        name = etree.QName(element).localname
        if name in ("sequenceFlow", "boundaryEvent", "laneSet", "documentation", "extensionElements") or name.endswith(
                "Characteristics"):
            continue
        if name == "subProcess":
            right = _place(element, x + 30, y + 60, bounds)
            bounds[element.get("id")] = (x, y, right - x + 30, 220, True)
            x = right + 30 + STEP
            continue
        width, height = _size(element)
        bounds[element.get("id")] = (x, y + (TASK[1] - height) // 2, width, height, False)
        x += width + STEP
    taken: dict[str, int] = {}
    for element in scope.iterchildren(f"{{{BPMN}}}boundaryEvent"):
        attached = element.get("attachedToRef")
        ax, ay, _, ah, _ = bounds[attached]
        bounds[element.get("id")] = (ax + 10 + 40 * taken.get(attached, 0), ay + ah - 18, *EVENT, False)
        taken[attached] = taken.get(attached, 0) + 1
    return x


def laid_out(xml: bytes) -> bytes:
    """The document with a BPMNDiagram per process: its nodes in a row, subprocesses expanded, straight edges."""
    tree = etree.fromstring(xml)
    for process in tree.iterchildren(f"{{{BPMN}}}process"):
        bounds: dict = {}
        _place(process, 100, 100, bounds)
        diagram = etree.SubElement(tree, f"{{{BPMNDI}}}BPMNDiagram", id=f"{process.get('id')}_diagram")
        plane = etree.SubElement(diagram, f"{{{BPMNDI}}}BPMNPlane", id=f"{process.get('id')}_plane",
                                 bpmnElement=process.get("id"))
        for element_id, (x, y, width, height, expanded) in bounds.items():
            shape = etree.SubElement(plane, f"{{{BPMNDI}}}BPMNShape", id=f"{element_id}_di", bpmnElement=element_id)
            if expanded:
                shape.set("isExpanded", "true")
            etree.SubElement(shape, f"{{{DC}}}Bounds", x=str(x), y=str(y), width=str(width), height=str(height))
        for flow in process.iter(f"{{{BPMN}}}sequenceFlow"):
            edge = etree.SubElement(plane, f"{{{BPMNDI}}}BPMNEdge", id=f"{flow.get('id')}_di", bpmnElement=flow.get("id"))
            for end in (flow.get("sourceRef"), flow.get("targetRef")):
                x, y, width, height, _ = bounds[end]
                etree.SubElement(edge, f"{{{DI}}}waypoint", x=str(x + width // 2), y=str(y + height // 2))
    encoding = "ASCII" if b'encoding="ASCII"' in xml[:100] else "UTF-8"
    return etree.tostring(tree, xml_declaration=True, encoding=encoding)
