"""What-if replay through the API: the newest cases of the last weeks replayed at once, or all of them as a run the
scheduler does (POST a run, read it until it is done)."""

from __future__ import annotations

from flask import jsonify
from marshmallow import Schema, fields, validate

from app.cases.procedures.whatif import (
    DEFAULT_WEEKS,
    MAX_CASES,
    MAX_WEEKS,
    get_run,
    page_limit,
    request_run,
    run_view,
    what_if,
)

from . import bp
from .auth import current_user, require
from .io import load_args
from .schemas import StrictSchema


class WhatIfArgs(StrictSchema):
    weeks = fields.Integer(load_default=DEFAULT_WEEKS, strict=False, validate=validate.Range(1, MAX_WEEKS),
                           metadata={"description": "how many weeks of received cases to replay (default 8)"})


class _LaneWeekOut(Schema):
    lane = fields.String()
    week = fields.String(metadata={"description": "ISO week, 2026-W45"})
    active = fields.Integer(metadata={"description": "steps the lane would receive on the active version"})
    draft = fields.Integer(metadata={"description": "steps the lane would receive on the version tried"})


class WhatIfOut(Schema):
    key = fields.String()
    version = fields.Integer()
    active_version = fields.Integer()
    weeks = fields.Integer()
    since = fields.String()
    total = fields.Integer(metadata={"description": "cases replayed"})
    received = fields.Integer(metadata={"description": "cases received in the weeks (all of them are replayed by a run)"})
    capped = fields.Boolean(metadata={"description": f"true: only the newest {MAX_CASES} cases of the weeks were "
                                                     "replayed (POST .../what-if/runs replays them all)"})
    route_differs = fields.Integer(metadata={"description": "cases whose path or final status would differ"})
    later = fields.Integer(metadata={"description": "cases with a step late on this version but not on the active one"})
    stops_or_fails = fields.Integer(metadata={"description": "cases that would stop (their recorded work no longer "
                                                             "fits) or fail on this version only"})
    would_breach = fields.List(fields.String(), metadata={"description": "cases with a late step on this version"})
    workload = fields.List(fields.Nested(_LaneWeekOut))
    cases = fields.List(fields.Dict(), metadata={"description": "each case: case_number, received_at, differs "
                                                                "{route, late, stops}, active and draft {path, late, "
                                                                "deadlines, end, where, problem, status}"})


_WHAT_IF_ARGS = WhatIfArgs()


@bp.get("/processes/<key>/versions/<id:version>/what-if")
@require("process.change")
def what_if_replay(key: str, version: int):
    """The cases of the last weeks replayed against this version and the active one (nothing is written)."""
    return jsonify(what_if(key, version, load_args(_WHAT_IF_ARGS)["weeks"], limit=page_limit()))



class WhatIfRunOut(Schema):
    id = fields.Integer()
    key = fields.String()
    version = fields.Integer()
    weeks = fields.Integer()
    state = fields.String(metadata={"enum": ["queued", "running", "done", "failed"]})
    requested_by = fields.String()
    requested_at = fields.String()
    started_at = fields.String(allow_none=True)
    finished_at = fields.String(allow_none=True)
    replayed = fields.Integer(metadata={"description": "cases replayed so far (all of them once done)"})
    error = fields.String(allow_none=True, metadata={"description": "why a failed run failed"})
    result = fields.Nested(WhatIfOut, allow_none=True, metadata={
        "description": "once done: as the replay above, over every case of the weeks, `cases` holding only those "
                       "that would fare differently"})


@bp.post("/processes/<key>/versions/<id:version>/what-if/runs")
@require("process.change")
def what_if_run_request(key: str, version: int):
    """Replay every case of the last weeks: the scheduler does it; the same open question is the same run."""
    run = request_run(key, version, load_args(_WHAT_IF_ARGS)["weeks"], current_user().username)
    return jsonify(run_view(run)), 202


@bp.get("/what-if/runs/<id:run_id>")
@require("process.change")
def what_if_run(run_id: int):
    return jsonify(run_view(get_run(run_id)))
