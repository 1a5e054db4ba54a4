"""The process catalogue: which process each category's cases start."""

from __future__ import annotations

from flask import jsonify

from app.cases.procedures.catalogue import bind_category, catalogue

from . import bp
from .auth import current_user, require
from .io import load_body
from .schemas import CatalogueBindIn

_CATALOGUE_BIND_IN = CatalogueBindIn()


@bp.get("/catalogue")
@require("catalogue.read")
def get_catalogue():
    items = catalogue()
    return jsonify({"items": items, "total": len(items)})


@bp.put("/catalogue/<category>")
@require("catalogue.change")
def put_catalogue_entry(category: str):
    body = load_body(_CATALOGUE_BIND_IN)
    return jsonify(bind_category(category, body["process"], current_user().username))
