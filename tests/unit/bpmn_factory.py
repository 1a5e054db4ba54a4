"""Small BPMN documents for engine tests, written as text so each test shows what it feeds."""

from __future__ import annotations

HEADER = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
    'xmlns:camunda="http://camunda.org/schema/1.0/bpmn" '
    'xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" '
    'id="defs" targetNamespace="https://minyi.test">\n'
)


def process(body: str, process_id: str = "p", lanes: dict[str, list[str]] | None = None) -> bytes:
    lane_xml = ""
    if lanes:
        lane_xml = '<bpmn:laneSet id="ls">' + "".join(
            f'<bpmn:lane id="lane_{name}" name="{name}">' + "".join(f"<bpmn:flowNodeRef>{n}</bpmn:flowNodeRef>" for n in nodes)
            + "</bpmn:lane>" for name, nodes in lanes.items()) + "</bpmn:laneSet>"
    return (HEADER + f'<bpmn:process id="{process_id}" isExecutable="true">{lane_xml}{body}</bpmn:process>'
            "</bpmn:definitions>").encode()


def linear(task_xml: str, extra: str = "", lanes: dict[str, list[str]] | None = None) -> bytes:
    """start -> the given task (id 't') -> end."""
    return process(
        '<bpmn:startEvent id="start"/>'
        '<bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="t"/>'
        f"{task_xml}"
        '<bpmn:sequenceFlow id="f2" sourceRef="t" targetRef="end"/>'
        f'<bpmn:endEvent id="end"/>{extra}',
        lanes=lanes,
    )


def gateway(condition: str) -> bytes:
    """start -> gateway (condition to 'yes', default to 'no') -> user tasks -> end."""
    return process(
        '<bpmn:startEvent id="start"/><bpmn:sequenceFlow id="f0" sourceRef="start" targetRef="gw"/>'
        '<bpmn:exclusiveGateway id="gw" default="f_no"/>'
        f'<bpmn:sequenceFlow id="f_yes" sourceRef="gw" targetRef="yes"><bpmn:conditionExpression>{condition}'
        "</bpmn:conditionExpression></bpmn:sequenceFlow>"
        '<bpmn:sequenceFlow id="f_no" sourceRef="gw" targetRef="no"/>'
        '<bpmn:userTask id="yes"/><bpmn:userTask id="no"/>'
        '<bpmn:sequenceFlow id="f3" sourceRef="yes" targetRef="end"/><bpmn:sequenceFlow id="f4" sourceRef="no" targetRef="end"/>'
        '<bpmn:endEvent id="end"/>'
    )


def timer_boundary(expression: str, definition: str = "timeDuration") -> bytes:
    return linear(
        '<bpmn:userTask id="t"/>'
        '<bpmn:boundaryEvent id="late" attachedToRef="t" cancelActivity="false">'
        f'<bpmn:timerEventDefinition><bpmn:{definition}>{expression}</bpmn:{definition}></bpmn:timerEventDefinition>'
        "</bpmn:boundaryEvent>"
        '<bpmn:sequenceFlow id="f_late" sourceRef="late" targetRef="late_end"/><bpmn:endEvent id="late_end"/>'
    )


def script_then_timer(script: str, timer: str) -> bytes:
    """start -> script task 's' -> user task 't' with a boundary timer 'late' -> end."""
    return process(
        '<bpmn:startEvent id="start"/><bpmn:sequenceFlow id="f0" sourceRef="start" targetRef="s"/>'
        f'<bpmn:scriptTask id="s"><bpmn:script>{script}</bpmn:script></bpmn:scriptTask>'
        '<bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="t"/><bpmn:userTask id="t"/>'
        '<bpmn:boundaryEvent id="late" attachedToRef="t" cancelActivity="false">'
        f"<bpmn:timerEventDefinition><bpmn:timeDuration>{timer}</bpmn:timeDuration></bpmn:timerEventDefinition>"
        '</bpmn:boundaryEvent><bpmn:sequenceFlow id="f_late" sourceRef="late" targetRef="late_end"/>'
        '<bpmn:endEvent id="late_end"/><bpmn:sequenceFlow id="f2" sourceRef="t" targetRef="end"/><bpmn:endEvent id="end"/>'
    )
