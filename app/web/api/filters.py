"""Saved inbox filters: mine and those shared with my groups."""

from __future__ import annotations

from flask import jsonify

from app.cases.lists.saved_filters import delete_filter, save_filter, saved_filters

from . import bp
from .auth import current_user, require
from .io import load_body
from .outputs import SavedFilterOut
from .schemas import SavedFilterIn

_SAVED_FILTER_IN = SavedFilterIn()
_SAVED_FILTER_OUT = SavedFilterOut()


@bp.get("/filters")
@require("filter.use")
def list_filters():
    items = saved_filters(current_user())
    return jsonify({"items": _SAVED_FILTER_OUT.dump(items, many=True), "total": len(items)})


@bp.post("/filters")
@require("filter.use")
def create_filter():
    body = load_body(_SAVED_FILTER_IN)
    saved = save_filter(current_user(), body["name"], body["filters"], body["shared_with"])
    return jsonify(_SAVED_FILTER_OUT.dump(saved)), 201


@bp.delete("/filters/<id:filter_id>")
@require("filter.use")
def remove_filter(filter_id: int):
    return jsonify(_SAVED_FILTER_OUT.dump(delete_filter(current_user(), filter_id)))
