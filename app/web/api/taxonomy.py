"""What and where: the topic taxonomy and the areas (read by all staff; loaded by admins from CSV), the dispatch
table, the suggestion of topic, area and department for an appeal's text, and a case's classification."""

from __future__ import annotations

from flask import jsonify

from app.cases import errors
from app.cases.errors import T
from app.cases.taxonomy import dispatch, trees
from app.cases.work.classification import classify

from ..csv_upload import uploaded_csv
from . import bp, present
from .auth import current_user, require
from .io import load_args, load_body
from .schemas import ClassificationIn, SuggestionArgs

_SUGGEST, _CLASSIFY = SuggestionArgs(), ClassificationIn()


def node_body(node, parents: dict[int, str]) -> dict:
    return {"code": node.code, "name": node.name, "parent": parents.get(node.parent_id), "level": node.level,
            "keywords": (node.keywords or "").split()}


@bp.get("/topics", defaults={"kind": "topic"})
@bp.get("/areas", defaults={"kind": "area"})
@require("taxonomy.read")
def tree(kind: str):
    found = trees.nodes(kind)
    parents = {n.id: n.code for n in found}
    return jsonify({"items": [node_body(n, parents) for n in found], "total": len(found)})


@bp.post("/topics/import", defaults={"kind": "topic"})
@bp.post("/areas/import", defaults={"kind": "area"})
@require("taxonomy.manage")
def import_tree(kind: str):
    return jsonify(trees.import_tree(current_user(), kind, uploaded_csv(body_too=True)))


@bp.get("/dispatch-rules")
@require("taxonomy.read")
def dispatch_rules():
    items = [{"topic": t.code, "area": a.code if a else None, "department": d.code} for _r, t, a, d in dispatch.rules()]
    return jsonify({"items": items, "total": len(items)})


@bp.post("/dispatch-rules/import")
@require("taxonomy.manage")
def import_dispatch_rules():
    return jsonify({"loaded": dispatch.import_rules(current_user(), uploaded_csv(body_too=True))})


@bp.get("/suggestions")
@require("case.register")
def suggestions():
    args = load_args(_SUGGEST)
    text = " ".join(v for v in (args["title"], args["description"]) if v)
    topic = trees.suggest("topic", text)
    area = trees.suggest("area", " ".join(v for v in (args["address"], text) if v))
    department = dispatch.suggest_department(topic.node if topic else None, area.node if area else None)
    return jsonify({
        "topic": {"code": topic.node.code, "name": topic.node.name, "matched": list(topic.matched)} if topic else None,
        "area": {"code": area.node.code, "name": area.node.name, "matched": list(area.matched)} if area else None,
        "department": {"code": department.department.code, "name": department.department.name,
                       "rule": {"topic": department.topic.code, "area": department.area.code if department.area else None}}
        if department else None})


@bp.post("/cases/<number>/classification")
@require("case.classify", "number")
def classify_case(number: str):
    body = load_body(_CLASSIFY)
    if not body:
        raise errors.ValidationFailedError(T('nothing to change'), {"topic": [T('Give a topic, an area or both.')]})
    return jsonify(present.case_summary(classify(current_user(), number, body)))

