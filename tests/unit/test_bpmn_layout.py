"""Every shipped diagram is drawn so that a process owner can read it: complete, tidy, nothing on top of anything."""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

import pytest

from tests.bpmn_layout import BPMN, NS, Diagram, is_orthogonal, load, segment_enters, segments

ROOT = Path(__file__).resolve().parents[2]
PROCESS_FILES = sorted((ROOT / "processes").glob("*.bpmn"))
SLACK = 2  # px a shape is shrunk by, so that touching its border is not "passing through"
BORDER_TOLERANCE = 3  # px an edge end may sit away from its shape's border

MAX_COMPLAINT_FLOW_NODES = 34  # 27 before the rating window (follow-up visit, late rating, 15 days without one)


@pytest.fixture(params=PROCESS_FILES, ids=lambda path: path.name)
def diagram(request) -> Diagram:
    return load(request.param)


def test_there_are_processes_to_check():
    assert PROCESS_FILES


def test_every_flow_node_and_lane_has_a_shape(diagram):
    assert [node_id for node_id, node in diagram.nodes.items() if node is None] == []
    assert [lane_id for lane_id, (shape, _) in diagram.lanes.items() if shape is None] == []


def test_every_sequence_flow_has_an_edge_with_at_least_two_waypoints(diagram):
    assert [flow_id for flow_id, flow in diagram.flows.items() if flow is None or len(flow.waypoints) < 2] == []


def _host_and_boundary(diagram: Diagram, first: str, second: str) -> bool:
    return diagram.nodes[first].attached_to == second or diagram.nodes[second].attached_to == first


def test_no_two_shapes_overlap_except_a_boundary_event_on_its_host(diagram):
    shapes = diagram.shapes()
    overlapping = [
        (first, second) for first, second in combinations(shapes, 2)
        if shapes[first].overlaps(shapes[second]) and not _host_and_boundary(diagram, first, second)
    ]
    assert overlapping == []


def test_every_flow_node_lies_inside_its_lane(diagram):
    shapes = diagram.shapes()
    outside = [
        (node_id, lane_id)
        for lane_id, (lane_shape, node_ids) in diagram.lanes.items()
        for node_id in node_ids
        if node_id in shapes and lane_shape and not lane_shape.contains(shapes[node_id])
    ]
    assert outside == []


def test_every_edge_runs_at_right_angles(diagram):
    slanted = [flow.id for flow in diagram.flows.values() if flow and not all(is_orthogonal(*s) for s in segments(flow.waypoints))]
    assert slanted == []


def test_no_edge_runs_through_a_shape_other_than_its_source_and_target(diagram):
    shapes = diagram.shapes()
    crossings = [
        (flow.id, shape_id)
        for flow in diagram.flows.values() if flow
        for shape_id, shape in shapes.items() if shape_id not in (flow.source, flow.target)
        for start, end in segments(flow.waypoints) if segment_enters(start, end, shape.shrunk(SLACK))
    ]
    assert crossings == []


def test_every_edge_starts_on_its_source_border_and_ends_on_its_target_border(diagram):
    shapes = diagram.shapes()
    loose = [
        flow.id for flow in diagram.flows.values()
        if flow and flow.source in shapes and flow.target in shapes and (
            shapes[flow.source].distance_to_border(flow.waypoints[0]) > BORDER_TOLERANCE
            or shapes[flow.target].distance_to_border(flow.waypoints[-1]) > BORDER_TOLERANCE)
    ]
    assert loose == []


def test_every_gateway_and_event_has_its_label_placed(diagram):
    unplaced = [
        node.id for node in diagram.nodes.values()
        if node and (node.kind.endswith("Gateway") or node.kind.endswith("Event")) and node.label is None
    ]
    assert unplaced == []


def test_no_label_covers_a_shape(diagram):
    shapes = diagram.shapes()
    covered = [
        (label_id, shape_id)
        for label_id, label in diagram.labels().items()
        for shape_id, shape in shapes.items() if label.overlaps(shape)
    ]
    assert covered == []


def test_no_two_labels_overlap(diagram):
    labels = diagram.labels()
    overlapping = [(first, second) for first, second in combinations(labels, 2) if labels[first].overlaps(labels[second])]
    assert overlapping == []


def test_no_edge_runs_through_a_label(diagram):
    crossed = [
        (flow.id, label_id)
        for flow in diagram.flows.values() if flow
        for label_id, label in diagram.labels().items()
        for start, end in segments(flow.waypoints) if segment_enters(start, end, label)
    ]
    assert crossed == []


# --- the complaint procedure: its clocks are a property of each user task, not diagram plumbing

@pytest.fixture
def complaint() -> Diagram:
    return load(ROOT / "processes" / "complaint.bpmn")


def test_the_complaint_diagram_stays_small(complaint):
    assert len(complaint.nodes) <= MAX_COMPLAINT_FLOW_NODES


def test_the_complaint_diagram_draws_only_the_timers_that_change_the_flow(complaint):
    """Clocks are task properties; the only timers drawn close a case nobody rated within 15 days of the answer."""
    timers = complaint.tree.xpath("//bpmn:boundaryEvent[bpmn:timerEventDefinition]", namespaces=NS)
    assert sorted(t.get("id") for t in timers) == ["rating_window_closed", "rating_window_visit"]
    closing = complaint.tree.xpath("//bpmn:sequenceFlow[@sourceRef='rating_window_visit']/@targetRef", namespaces=NS)
    assert closing == ["close_unrated"]


def test_every_complaint_user_task_has_a_due_clock(complaint):
    without_due = [
        task.get("id") for task in complaint.tree.iter(f"{{{BPMN}}}userTask")
        if not task.xpath(".//*[local-name()='property'][@name='due'][normalize-space(@value)]")
    ]
    assert without_due == []
