"""What a case is about and where (its topic and area), changed after registration: at triage, or when the handling
shows it is something else. The change is in the ledger, and the dispatch suggestion follows it."""

from __future__ import annotations

from sqlalchemy import update

from app.extensions import db
from app.models import Case, TreeNode

from .. import ledger, policy, records, reference
from ..policy import Principal
from ..taxonomy.dispatch import suggest_department
from ..taxonomy.trees import node_by_code
from ..transaction import transaction


def classify(user: Principal, number: str, changes: dict[str, str | None]) -> Case:
    """Set the case's topic and/or area (`changes`: kind -> a code, or None to clear it); the ledger says from what
    to what."""
    case = policy.check_case_access(user, records.case_by_number(number))
    policy.require(user, "case.classify", case)
    current = {"topic": case.topic_id, "area": case.area_id}
    nodes = {kind: db.session.get(TreeNode, node_id) if node_id else None for kind, node_id in current.items()}
    for kind, code in changes.items():
        nodes[kind] = node_by_code(kind, code, kind)
    after = {kind: node.id if node else None for kind, node in nodes.items()}
    if after == current:
        return case
    codes = reference.tree_codes()
    suggestion = suggest_department(nodes["topic"], nodes["area"])
    with transaction():
        db.session.execute(update(Case).where(Case.id == case.id).values(
            topic_id=after["topic"], area_id=after["area"],
            suggested_department_id=suggestion.department.id if suggestion else None)
            .execution_options(synchronize_session=False))
        ledger.record(case.id, user.username, "case.classified", **{
            kind: {"from": codes.get(current[kind], (None,))[0], "to": nodes[kind].code if nodes[kind] else None}
            for kind in ("topic", "area") if current[kind] != after[kind]})
    db.session.refresh(case)
    return case
