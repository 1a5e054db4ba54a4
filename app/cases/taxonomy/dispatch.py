"""The dispatch table: a topic in an area goes to a department. Triage shows the suggestion and why; the clerk
accepts or changes it, and the case keeps what was suggested so that overrides can be counted.

A rule names a topic and, optionally, an area; the most specific rule wins: the topic itself before its parents,
and for each, the case's area itself, then its parents, then "anywhere".
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from sqlalchemy import select

from app.extensions import db
from app.models import Department, DispatchRule, TreeNode

from .. import errors, policy
from ..errors import T
from ..policy import Principal
from ..reference import DepartmentRef, department_by_id, departments
from ..transaction import transaction
from .trees import node_by_code, path_of


@dataclass(frozen=True)
class DepartmentSuggestion:
    department: DepartmentRef
    topic: TreeNode  # the rule's topic and area (None: anywhere): why
    area: TreeNode | None


def suggest_department(topic: TreeNode | None, area: TreeNode | None) -> DepartmentSuggestion | None:
    """The department the most specific rule for this topic and area names, or None."""
    if topic is None:
        return None
    topics = path_of(topic)[::-1]
    areas = [*path_of(area)[::-1], None]
    rules = {(r.topic_id, r.area_id): r for r in db.session.scalars(select(DispatchRule).where(
        DispatchRule.topic_id.in_([t.id for t in topics])))}
    for t in topics:
        for a in areas:
            rule = rules.get((t.id, a.id if a is not None else None))
            department = department_by_id(rule.department_id) if rule is not None else None
            if department is not None and department.active:
                return DepartmentSuggestion(department, t, a)
    return None


def rules() -> list[tuple[DispatchRule, TreeNode, TreeNode | None, Department]]:
    rows = db.session.execute(select(DispatchRule, TreeNode, Department).join(
        TreeNode, TreeNode.id == DispatchRule.topic_id).join(Department, Department.id == DispatchRule.department_id)
        .order_by(TreeNode.code)).all()
    return [(r, t, db.session.get(TreeNode, r.area_id) if r.area_id else None, d) for r, t, d in rows]


def import_rules(user: Principal | None, data: str) -> int:
    """Load `topic,area,department` rows (area empty: anywhere), all or nothing; a rule for the same topic and
    area is replaced. Returns the number of rows."""
    if user is not None:
        policy.require(user, "taxonomy.manage")
    reader = csv.DictReader(io.StringIO(data))
    if reader.fieldnames is None or [f.strip() for f in reader.fieldnames[:3]] != ["topic", "area", "department"]:
        raise errors.ValidationFailedError(T('not a dispatch file'), {"file": [
            T('The first line must name the columns: topic,area,department.')]})
    wanted, problems = [], []
    for number, raw in enumerate(reader, start=2):
        try:
            topic = node_by_code("topic", (raw.get("topic") or "").strip(), "file")
            area = node_by_code("area", (raw.get("area") or "").strip(), "file")
        except errors.ValidationFailedError:
            problems.append(T('line %(line)s: unknown topic or area', line=number))
            continue
        department = departments().get((raw.get("department") or "").strip().upper())
        if topic is None or department is None:
            problems.append(T('line %(line)s: a topic and a known department are needed', line=number))
            continue
        wanted.append((topic.id, area.id if area else None, department.id))
    if problems or not wanted:
        raise errors.ValidationFailedError(T('the dispatch file has mistakes'), {"file": problems or [
            T('the file has no rows')]})
    with transaction():
        for topic_id, area_id, department_id in wanted:
            rule = db.session.scalar(select(DispatchRule).where(DispatchRule.topic_id == topic_id,
                                                                DispatchRule.area_id.is_(area_id) if area_id is None
                                                                else DispatchRule.area_id == area_id))
            if rule is None:
                db.session.add(DispatchRule(topic_id=topic_id, area_id=area_id, department_id=department_id))
            else:
                rule.department_id = department_id
            db.session.flush()
    return len(wanted)
