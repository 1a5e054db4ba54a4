"""Who does a task: a diagram names a lane (every modeler) or candidate groups, candidate users and an assignee
(Camunda 7's attributes); a name maps to a group through the lane map -- a role, at the case's department
(`role@*`), at a fixed department (`role@CODE`) or anywhere (`role`) -- or is such a group itself. A task the
diagram gives to nobody goes to its process's default group (the intake group when the owner set none)."""

from __future__ import annotations

from lxml import etree
from sqlalchemy import select

from app.extensions import db
from app.models import LaneGroup, ProcessDraft, ProcessSetting, ProcessVersion

from .. import reference
from ..errors import ConflictError, NotFoundError, T, ValidationFailedError
from ..groups import FALLBACK_GROUP, as_group, parse_group
from ..reference import LaneRule
from ..transaction import transaction

# (lane, role, department-scoped): the lane names the shipped processes use
DEFAULT_LANES = (
    ("Intake", "intake", False),
    ("Department", "handler", True),
    ("DepartmentHead", "head", True),
    ("Leadership", "leader", False),
    ("Supervision", "supervisor", False),
    ("Mediation", "mediator", False),
    ("Analysis", "analyst", False),
)
_BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
_CAMUNDA = "http://camunda.org/schema/1.0/bpmn"


def ensure_default_lanes() -> None:
    """The lane names the shipped processes use, each mapped to a role (idempotent)."""
    with transaction():
        existing = set(db.session.scalars(select(LaneGroup.lane)))
        for lane, role, scoped in DEFAULT_LANES:
            if lane not in existing:
                db.session.add(LaneGroup(lane=lane, role=role, department_scoped=scoped))
    reference.forget()


def lane_map() -> list[dict]:
    """Every mapped name with its group (as written) and the active processes whose diagrams use it."""
    used = names_in_use()
    return [{"lane": lane, "group": rule.text, "used_by": sorted(used.get(lane, ()))}
            for lane, rule in sorted(reference.lane_groups().items())]


def map_lane(lane: str, group: str, actor: str | None = None) -> dict:
    """Map a lane (or candidate-group) name to a group; replaces its mapping."""
    name = _lane_name(lane)
    rule = parse_group(group)
    with transaction():
        row = db.session.scalar(select(LaneGroup).where(LaneGroup.lane == name))
        if row is None:
            row = LaneGroup(lane=name)
            db.session.add(row)
        row.role, row.department_scoped, row.department = rule.role, rule.department_scoped, rule.department
    reference.forget()
    return {"lane": name, "group": LaneRule(name, rule.role, rule.department_scoped, rule.department).text}


def unmap_lane(lane: str, actor: str | None = None) -> None:
    """Remove a mapping no active process uses (its tasks would reach nobody)."""
    name = _lane_name(lane)
    users = sorted(names_in_use().get(name, ()))
    if users and as_group(name) is None:  # a name that is a group itself still reaches it
        raise ConflictError(T("lane '%(lane)s' is used by %(processes)s: map it to another group instead",
                              lane=name, processes=", ".join(users)))
    with transaction():
        row = db.session.scalar(select(LaneGroup).where(LaneGroup.lane == name))
        if row is None:
            raise NotFoundError(T("no lane '%(lane)s' is mapped", lane=name))
        db.session.delete(row)
    reference.forget()


def set_default_group(process_key: str, group: str | None, actor: str | None = None) -> dict:
    """The group doing the tasks a process's diagram gives to nobody (None or "": the intake group)."""
    key = (process_key or "").strip()
    known = key and (db.session.get(ProcessDraft, key) is not None
                     or db.session.scalar(select(ProcessVersion.id).where(ProcessVersion.key == key).limit(1)) is not None)
    if not known:
        raise NotFoundError(T("no process '%(key)s'", key=key))
    text = (group or "").strip() or None
    rule = parse_group(text, "default_group") if text else None
    with transaction():
        row = db.session.get(ProcessSetting, key)
        if row is None:
            row = ProcessSetting(key=key)
            db.session.add(row)
        row.default_group = rule.text if rule else None
        row.updated_by = actor
    reference.forget()
    return {"process": key, "default_group": row.default_group or FALLBACK_GROUP, "set": row.default_group is not None}


def names_in_use() -> dict[str, set[str]]:
    """Lane and static candidate-group names -> the keys of the active processes whose diagrams name them."""
    used: dict[str, set[str]] = {}
    for key, xml in db.session.execute(select(ProcessVersion.key, ProcessVersion.bpmn_xml)
                                       .where(ProcessVersion.active.is_(True))):
        for name in diagram_names(xml.encode() if isinstance(xml, str) else xml):
            used.setdefault(name, set()).add(key)
    return used


def diagram_names(xml: bytes) -> set[str]:
    """The lane names and the static candidate groups a diagram uses."""
    try:
        tree = etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        return set()
    names = {(lane.get("name") or "").strip() for lane in tree.iter(f"{{{_BPMN}}}lane")
             if lane.find(f"{{{_BPMN}}}childLaneSet") is None}
    for element in tree.iter():
        value = element.get(f"{{{_CAMUNDA}}}candidateGroups") if isinstance(element.tag, str) else None
        names.update(n.strip() for n in (value or "").split(",") if n.strip() and "{" not in n)
    return names - {""}


def _lane_name(lane: str) -> str:
    name = (lane or "").strip()
    if not name or len(name) > 100:
        raise ValidationFailedError(T("name a lane"), {"lane": [T("a lane's name as the diagram writes it (up to 100 "
                                                                  "characters)")]})
    return name
