"""The lane map and each process's default group: who does the tasks a diagram names a lane or candidate group for,
and the ones it gives to nobody."""

from __future__ import annotations

from flask import jsonify

from app.cases.procedures.lanes import lane_map, map_lane, set_default_group, unmap_lane

from . import bp
from .auth import current_user, require
from .io import load_body
from .lane_schemas import DefaultGroupIn, LaneMapIn

_LANE_MAP_IN, _DEFAULT_GROUP_IN = LaneMapIn(), DefaultGroupIn()


@bp.get("/lanes")
@require("lanes.read")
def get_lanes():
    items = lane_map()
    return jsonify({"items": items, "total": len(items)})


@bp.put("/lanes/<lane>")
@require("lanes.change")
def put_lane(lane: str):
    body = load_body(_LANE_MAP_IN)
    row = map_lane(lane, body["group"], current_user().username)
    return jsonify({**row, "used_by": []})


@bp.delete("/lanes/<lane>")
@require("lanes.change")
def delete_lane(lane: str):
    unmap_lane(lane, current_user().username)
    return "", 204


@bp.put("/processes/<key>/default-group")
@require("process.change")
def put_default_group(key: str):
    body = load_body(_DEFAULT_GROUP_IN)
    return jsonify(set_default_group(key, body["default_group"], current_user().username))
