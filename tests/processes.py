"""Small processes for service tests, written out so each test shows what it runs.

Each is deployed under the key `complaint` (what intake starts for a complaint) unless a test says
otherwise; lanes name the groups that do the tasks (Intake -> intake, Department -> handler@dept).
"""

from __future__ import annotations

HEADER = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
    'xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" id="defs" targetNamespace="https://minyi.test">\n'
)


def bpmn(body: str, lanes: dict[str, list[str]], process_id: str = "complaint") -> bytes:
    lane_xml = "".join(
        f'<bpmn:lane id="lane_{name}" name="{name}">' + "".join(f"<bpmn:flowNodeRef>{n}</bpmn:flowNodeRef>" for n in nodes)
        + "</bpmn:lane>" for name, nodes in lanes.items())
    return (HEADER + f'<bpmn:process id="{process_id}" isExecutable="true"><bpmn:laneSet id="ls">{lane_xml}</bpmn:laneSet>'
            f"{body}</bpmn:process></bpmn:definitions>").encode()


def props(**values: str) -> str:
    inner = "".join(f'<spiffworkflow:property name="{k}" value="{v}"/>' for k, v in values.items())
    return f"<bpmn:extensionElements><spiffworkflow:properties>{inner}</spiffworkflow:properties></bpmn:extensionElements>"


def script(task_id: str, text: str) -> str:
    return f'<bpmn:scriptTask id="{task_id}"><bpmn:script>{text}</bpmn:script></bpmn:scriptTask>'


def flow(flow_id: str, source: str, target: str) -> str:
    return f'<bpmn:sequenceFlow id="{flow_id}" sourceRef="{source}" targetRef="{target}"/>'


def one_clocked_task(due: str, **policy: str) -> bytes:
    """start -> triage (Intake, with the given `due` policy) -> end."""
    return bpmn(
        '<bpmn:startEvent id="start"/>' + flow("f1", "start", "triage")
        + f'<bpmn:userTask id="triage" name="Triage">{props(due=due, **policy)}</bpmn:userTask>'
        + flow("f2", "triage", "end") + '<bpmn:endEvent id="end"/>',
        {"Intake": ["triage"]},
    )


def parallel_answers() -> bytes:
    """Two department tasks in parallel (answer forms); each branch's script sets the answer from its own form data."""
    return bpmn(
        '<bpmn:startEvent id="start"/>' + flow("f0", "start", "route")
        + script("route", "set_case(status='handling', department='ENV')") + flow("f1", "route", "split")
        + '<bpmn:parallelGateway id="split"/>' + flow("fa", "split", "a") + flow("fb", "split", "b")
        + f'<bpmn:userTask id="a" name="Branch A">{props(formKey="complaint_feedback")}</bpmn:userTask>'
        + flow("fa2", "a", "set_a") + script("set_a", "set_case(answer=answer)") + flow("fa3", "set_a", "join")
        + f'<bpmn:userTask id="b" name="Branch B">{props(formKey="complaint_feedback")}</bpmn:userTask>'
        + flow("fb2", "b", "set_b") + script("set_b", "set_case(answer=answer)") + flow("fb3", "set_b", "join")
        + '<bpmn:parallelGateway id="join"/>' + flow("f2", "join", "final")
        + '<bpmn:userTask id="final" name="Final"/>' + flow("f3", "final", "end") + '<bpmn:endEvent id="end"/>',
        {"Intake": ["route", "split", "join", "final"], "Department": ["a", "b", "set_a", "set_b"]},
    )


def coordinated_help() -> bytes:
    """One task per department of a list, in parallel (multi-instance), each with its own clock."""
    return bpmn(
        '<bpmn:startEvent id="start"/>' + flow("f0", "start", "plan")
        + script("plan", "units = [{'department': 'ENV', 'days': 2}, {'department': 'HOUSING', 'days': 5}]")
        + flow("f1", "plan", "coordinate")
        + '<bpmn:userTask id="coordinate" name="Coordinate help">'
        + props(due="working_days(unit[&apos;days&apos;])", formKey="complaint_triage")
        + '<bpmn:multiInstanceLoopCharacteristics><bpmn:loopDataInputRef>units</bpmn:loopDataInputRef>'
        '<bpmn:inputDataItem id="unit" name="unit"/></bpmn:multiInstanceLoopCharacteristics></bpmn:userTask>'
        + flow("f2", "coordinate", "end") + '<bpmn:endEvent id="end"/>',
        {"Intake": ["plan"], "Department": ["coordinate"]},
    )


def timer_then_script(script_text: str) -> bytes:
    """A user task with an interrupting BPMN timer (P1D) that leads to a script, then the end."""
    return bpmn(
        '<bpmn:startEvent id="start"/>' + flow("f1", "start", "triage")
        + '<bpmn:userTask id="triage" name="Triage"/>' + flow("f2", "triage", "end") + '<bpmn:endEvent id="end"/>'
        + '<bpmn:boundaryEvent id="late" name="A day passed" attachedToRef="triage">'
        '<bpmn:timerEventDefinition><bpmn:timeDuration>P1D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>'
        + flow("f3", "late", "after") + script("after", script_text) + flow("f4", "after", "late_end")
        + '<bpmn:endEvent id="late_end"/>',
        {"Intake": ["triage", "after"]},
    )


def clocked_with_bpmn_timer() -> bytes:
    """The case deadline (15 calendar days from receipt), a triage task with a working-day SLA and a
    non-interrupting BPMN reminder after 2 calendar days: every kind of moment a pause must move."""
    return bpmn(
        '<bpmn:startEvent id="start"/>' + flow("f0", "start", "clocks")
        + script("clocks", "set_case(due=calendar_days(15, received_at))") + flow("f1", "clocks", "triage")
        + f'<bpmn:userTask id="triage" name="Triage">{props(due="working_days(2)")}</bpmn:userTask>'
        + flow("f2", "triage", "end") + '<bpmn:endEvent id="end"/>'
        + '<bpmn:boundaryEvent id="reminder" name="Reminder" attachedToRef="triage" cancelActivity="false">'
        '<bpmn:timerEventDefinition><bpmn:timeDuration>P2D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>'
        + flow("f3", "reminder", "reminder_end") + '<bpmn:endEvent id="reminder_end"/>',
        {"Intake": ["clocks", "triage"]},
    )


def catches_withdraw() -> bytes:
    """A process that handles withdrawal itself: a message boundary on triage, then its own closing step."""
    return (HEADER + '<bpmn:message id="msg_withdraw" name="withdraw"/>'
            '<bpmn:process id="complaint" isExecutable="true"><bpmn:laneSet id="ls"><bpmn:lane id="lane_Intake" name="Intake">'
            "<bpmn:flowNodeRef>triage</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>"
            '<bpmn:startEvent id="start"/>' + flow("f1", "start", "triage") + '<bpmn:userTask id="triage" name="Triage"/>'
            + flow("f2", "triage", "end") + '<bpmn:endEvent id="end"/>'
            '<bpmn:boundaryEvent id="withdrawn" attachedToRef="triage"><bpmn:messageEventDefinition messageRef="msg_withdraw">'
            "<bpmn:extensionElements><spiffworkflow:messageVariable>withdrawal</spiffworkflow:messageVariable>"
            "</bpmn:extensionElements></bpmn:messageEventDefinition></bpmn:boundaryEvent>"
            + flow("f3", "withdrawn", "close") + script("close", "set_case(status='withdrawn', answer=withdrawal['reason'])")
            + flow("f4", "close", "closed") + '<bpmn:endEvent id="closed"/></bpmn:process></bpmn:definitions>').encode()


def minimal_review() -> bytes:
    """A stand-in `review` process for platform tests: leadership answers (the feedback form), done."""
    return bpmn(
        '<bpmn:startEvent id="start"/>' + flow("f1", "start", "decide")
        + f'<bpmn:userTask id="decide" name="Decide">{props(formKey="complaint_feedback", due="calendar_days(30, received_at)")}'
        "</bpmn:userTask>" + flow("f2", "decide", "answered")
        + script("answered", "set_case(status='answered', answer=f'{review_level} of {review_of}: {answer}')")
        + flow("f3", "answered", "end") + '<bpmn:endEvent id="end"/>',
        {"Leadership": ["decide"], "Intake": ["answered"]}, process_id="review")


# A diagram (BPMN DI) section: layout only, no executable content.
LAYOUT = (b'<bpmndi:BPMNDiagram xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" id="d"><bpmndi:BPMNPlane '
          b'id="p" bpmnElement="complaint"/></bpmndi:BPMNDiagram></bpmn:definitions>')


def two_steps(triage_name="Triage", review_name="Review", review_due="working_days(5)", notify=False,
              reminder="P2D", layout=False, review_form=None, reminder_kind="timeDuration") -> bytes:
    """start -> triage (working-day clock, a non-interrupting reminder timer) -> [notify ->] review -> end."""
    review_props = props(due=review_due, **({"formKey": review_form} if review_form else {}))
    middle = (flow("f2", "triage", "notify") + '<bpmn:userTask id="notify" name="Notify"/>' + flow("f2b", "notify", "review")
              if notify else flow("f2", "triage", "review"))
    xml = bpmn(
        '<bpmn:startEvent id="start"/>' + flow("f1", "start", "triage")
        + f'<bpmn:userTask id="triage" name="{triage_name}">{props(due="working_days(2)")}</bpmn:userTask>' + middle
        + f'<bpmn:userTask id="review" name="{review_name}">{review_props}</bpmn:userTask>'
        + flow("f3", "review", "end") + '<bpmn:endEvent id="end"/>'
        + '<bpmn:boundaryEvent id="reminder" name="Reminder" attachedToRef="triage" cancelActivity="false">'
        f'<bpmn:timerEventDefinition><bpmn:{reminder_kind}>{reminder}</bpmn:{reminder_kind}></bpmn:timerEventDefinition>'
        '</bpmn:boundaryEvent>' + flow("f4", "reminder", "reminder_end") + '<bpmn:endEvent id="reminder_end"/>',
        {"Intake": ["triage", "review"] + (["notify"] if notify else [])},
    )
    return xml.replace(b"</bpmn:definitions>", LAYOUT) if layout else xml
