"""No shipped process can wait forever unwatched: walking every process from its start along every sequence flow
(boundary events included), each state that waits — a person's task, a message — has a clock (the task's `due`) or a
timer that changes the flow."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

ROOT = Path(__file__).resolve().parents[2]
B = "http://www.omg.org/spec/BPMN/20100524/MODEL"
NS = {"bpmn": B}
PROCESS_FILES = sorted((ROOT / "processes").glob("*.bpmn"))
WAITING_EVENTS = ("messageEventDefinition", "signalEventDefinition", "conditionalEventDefinition")


def _local(element) -> str:
    return etree.QName(element).localname


def unwatched_waits(path: Path) -> list[str]:
    """The reachable waiting states of a BPMN file with neither a clock nor a timer."""
    tree = etree.parse(str(path))
    by_id = {e.get("id"): e for e in tree.iter() if isinstance(e.tag, str) and e.get("id")}
    flows: dict[str, list[str]] = {}
    for flow in tree.iter(f"{{{B}}}sequenceFlow"):
        flows.setdefault(flow.get("sourceRef"), []).append(flow.get("targetRef"))
    timers_on: dict[str, list[str]] = {}
    for boundary in tree.iter(f"{{{B}}}boundaryEvent"):
        flows.setdefault(boundary.get("attachedToRef"), []).append(boundary.get("id"))
        if boundary.find("bpmn:timerEventDefinition", NS) is not None:
            timers_on.setdefault(boundary.get("attachedToRef"), []).append(boundary.get("id"))
    starts = [e.get("id") for e in tree.iter(f"{{{B}}}startEvent")]
    for sub in tree.iter(f"{{{B}}}subProcess"):  # an embedded subprocess runs its own start when entered
        flows.setdefault(sub.get("id"), []).extend(s.get("id") for s in sub.iter(f"{{{B}}}startEvent"))
    seen, todo, problems = set(), list(starts), []
    while todo:
        node_id = todo.pop()
        if node_id in seen or node_id not in by_id:
            continue
        seen.add(node_id)
        node = by_id[node_id]
        kind = _local(node)
        if kind == "userTask":
            due = node.xpath(".//*[local-name()='property'][@name='due'][normalize-space(@value)]")
            if not due and not timers_on.get(node_id):
                problems.append(f"{path.name}: user task {node_id} has no clock (due) and no timer")
        elif kind == "receiveTask" and not timers_on.get(node_id):
            problems.append(f"{path.name}: receive task {node_id} waits for a message with no timer")
        elif kind == "intermediateCatchEvent" and any(node.find(f"bpmn:{d}", NS) is not None for d in WAITING_EVENTS):
            problems.append(f"{path.name}: catch event {node_id} waits with no timer")
        elif kind == "eventBasedGateway":
            targets = [by_id.get(t) for t in flows.get(node_id, [])]
            if not any(t is not None and t.find("bpmn:timerEventDefinition", NS) is not None for t in targets):
                problems.append(f"{path.name}: event-based gateway {node_id} has no timer among its events")
        todo.extend(flows.get(node_id, []))
    return problems


def test_there_are_processes_to_walk():
    assert len(PROCESS_FILES) >= 8


@pytest.mark.parametrize("path", PROCESS_FILES, ids=lambda p: p.name)
def test_no_reachable_state_waits_without_a_clock_or_a_timer(path):
    assert unwatched_waits(path) == []


def test_the_walk_finds_states_left_unwatched(tmp_path):
    """The check can fail: the complaint with its follow-up visit's clock and the rating window's timers taken away."""
    source = (ROOT / "processes" / "complaint.bpmn").read_text(encoding="utf-8")
    broken = source.replace('<spiffworkflow:property name="due" value="working_days(2)" />', "")
    broken = broken.replace('attachedToRef="await_rating"', 'attachedToRef="nowhere"')
    broken = broken.replace('attachedToRef="follow_up"><bpmn:outgoing>f_window_visit', 'attachedToRef="nowhere">'
                            '<bpmn:outgoing>f_window_visit')
    broken = broken.replace('id="rating_window_visit" name="No rating in 15 days 15日内未评价" attachedToRef="follow_up"',
                            'id="rating_window_visit" name="No rating in 15 days 15日内未评价" attachedToRef="nowhere"')
    path = tmp_path / "complaint.bpmn"
    path.write_text(broken, encoding="utf-8")
    assert sorted(unwatched_waits(path)) == [
        "complaint.bpmn: receive task await_rating waits for a message with no timer",
        "complaint.bpmn: user task follow_up has no clock (due) and no timer",
    ]
