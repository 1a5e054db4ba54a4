"""Read the diagram (BPMN DI) of a BPMN file and answer simple geometry questions about it.

Shapes are axis-aligned rectangles (the DI bounds); a gateway's diamond and an event's circle touch their bounds
at the middle of each side, which is where orthogonal edges meet them.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from lxml import etree

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
DI = "http://www.omg.org/spec/DD/20100524/DI"
NS = {"bpmn": BPMN, "bpmndi": BPMNDI, "dc": DC, "di": DI}

FLOW_NODE_TAGS = {
    "startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent", "boundaryEvent",
    "task", "userTask", "scriptTask", "serviceTask", "manualTask", "businessRuleTask", "sendTask", "receiveTask",
    "callActivity", "subProcess", "exclusiveGateway", "parallelGateway", "inclusiveGateway", "eventBasedGateway",
    "complexGateway",
}

Point = tuple[float, float]


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def bottom(self) -> float:
        return self.y + self.height

    def shrunk(self, by: float) -> Rect:
        return Rect(self.x + by, self.y + by, self.width - 2 * by, self.height - 2 * by)

    def overlaps(self, other: Rect) -> bool:
        """True when the interiors intersect; rectangles that only touch do not overlap."""
        return self.x < other.right and other.x < self.right and self.y < other.bottom and other.y < self.bottom

    def contains(self, other: Rect) -> bool:
        return self.x <= other.x and self.y <= other.y and other.right <= self.right and other.bottom <= self.bottom

    def distance_to_border(self, point: Point) -> float:
        """How far a point lies from the nearest side of this rectangle (0 on the border)."""
        px, py = point
        inside = self.x <= px <= self.right and self.y <= py <= self.bottom
        if inside:
            return min(px - self.x, self.right - px, py - self.y, self.bottom - py)
        dx = max(self.x - px, 0, px - self.right)
        dy = max(self.y - py, 0, py - self.bottom)
        return (dx * dx + dy * dy) ** 0.5


@dataclass(frozen=True)
class FlowNode:
    id: str
    kind: str
    name: str | None
    shape: Rect
    label: Rect | None
    attached_to: str | None


@dataclass(frozen=True)
class Flow:
    id: str
    name: str | None
    source: str
    target: str
    waypoints: list[Point]
    label: Rect | None


@dataclass(frozen=True)
class Diagram:
    """What a layout check needs from one BPMN file. Missing DI shows up as None shapes or empty waypoints."""

    tree: etree._ElementTree
    nodes: dict[str, FlowNode | None]
    lanes: dict[str, tuple[Rect | None, list[str]]]
    flows: dict[str, Flow | None]

    def shapes(self) -> dict[str, Rect]:
        return {node_id: node.shape for node_id, node in self.nodes.items() if node}

    def labels(self) -> dict[str, Rect]:
        """Label bounds of named flow nodes and flows (a viewer draws no label without a name), by element id."""
        elements = [*self.nodes.values(), *self.flows.values()]
        return {element.id: element.label for element in elements if element and element.name and element.label}


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname


def _bounds(element: etree._Element | None) -> Rect | None:
    if element is None:
        return None
    return Rect(*(float(element.get(name)) for name in ("x", "y", "width", "height")))


def load(path: Path) -> Diagram:
    """Read the flow nodes, lanes and sequence flows of a BPMN file together with their DI."""
    tree = etree.parse(str(path))
    di_by_element = {di.get("bpmnElement"): di for di in tree.iter(f"{{{BPMNDI}}}BPMNShape", f"{{{BPMNDI}}}BPMNEdge")}

    def shape_of(element_id: str) -> Rect | None:
        di = di_by_element.get(element_id)
        return _bounds(di.find("dc:Bounds", NS)) if di is not None else None

    def label_of(element_id: str) -> Rect | None:
        di = di_by_element.get(element_id)
        return _bounds(di.find("bpmndi:BPMNLabel/dc:Bounds", NS)) if di is not None else None

    nodes: dict[str, FlowNode | None] = {}
    for element in tree.iter(f"{{{BPMN}}}*"):
        if _local(element) in FLOW_NODE_TAGS:
            node_id = element.get("id")
            shape = shape_of(node_id)
            nodes[node_id] = None if shape is None else FlowNode(
                node_id, _local(element), element.get("name"), shape, label_of(node_id), element.get("attachedToRef"))
    lanes = {
        lane.get("id"): (shape_of(lane.get("id")), [ref.text.strip() for ref in lane.findall("bpmn:flowNodeRef", NS)])
        for lane in tree.iter(f"{{{BPMN}}}lane")
    }
    flows: dict[str, Flow | None] = {}
    for element in tree.iter(f"{{{BPMN}}}sequenceFlow"):
        flow_id = element.get("id")
        di = di_by_element.get(flow_id)
        if di is None:
            flows[flow_id] = None
            continue
        waypoints = [(float(p.get("x")), float(p.get("y"))) for p in di.findall("di:waypoint", NS)]
        source, target = element.get("sourceRef"), element.get("targetRef")
        flows[flow_id] = Flow(flow_id, element.get("name"), source, target, waypoints, label_of(flow_id))
    return Diagram(tree, nodes, lanes, flows)


def segments(waypoints: list[Point]) -> list[tuple[Point, Point]]:
    return list(pairwise(waypoints))


def is_orthogonal(start: Point, end: Point) -> bool:
    return start[0] == end[0] or start[1] == end[1]


def _spans(low: float, high: float, start: float, end: float) -> bool:
    """Whether [low, high] reaches into the open interval (start, end); a single point must lie strictly inside."""
    return start < low < end if low == high else low < end and start < high


def segment_enters(start: Point, end: Point, rect: Rect) -> bool:
    """True when an orthogonal segment passes through the interior of a rectangle."""
    low_x, high_x = sorted((start[0], end[0]))
    low_y, high_y = sorted((start[1], end[1]))
    return _spans(low_x, high_x, rect.x, rect.right) and _spans(low_y, high_y, rect.y, rect.bottom)


def element_ids(tree: etree._ElementTree) -> set[str]:
    """Ids of every element a diagram viewer draws: participants, lanes, flow nodes and sequence flows."""
    drawn = {"participant", "lane", "sequenceFlow"} | FLOW_NODE_TAGS
    return {element.get("id") for element in tree.iter(f"{{{BPMN}}}*") if _local(element) in drawn}
