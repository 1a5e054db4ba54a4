"""Process versions: list, upload (with dry run or as a draft), download, activate."""

from __future__ import annotations

from flask import Response, jsonify, request
from marshmallow import Schema, fields, validate

from app.cases.errors import NotFoundError
from app.cases.procedures.processes import (
    activate_version,
    deploy_bpmn,
    lint_bpmn,
    lint_warnings,
    version_summary,
    version_xml,
    versions_overview,
)
from app.cases.procedures.whatif import DEFAULT_WEEKS, MAX_WEEKS, what_if

from . import bp
from .auth import current_user, require
from .io import MalformedError, load_args
from .schemas import ProcessUploadArgs, StrictSchema

# Schema instances are reusable; building one per request costs more than the load.
_PROCESS_UPLOAD_ARGS = ProcessUploadArgs()


@bp.get("/processes")
@require("process.read")
def list_processes():
    items = versions_overview()
    return jsonify({"items": items, "total": len(items)})


@bp.post("/processes")
@require("process.change")
def upload_process():
    args = load_args(_PROCESS_UPLOAD_ARGS)
    upload = request.files.get("file")
    if upload is None:
        raise MalformedError("send the BPMN as multipart field 'file'")
    xml = upload.read()
    if not xml.strip():
        raise MalformedError("the file is empty")
    filename = upload.filename or "upload.bpmn"
    if args["dry_run"]:
        parsed = lint_bpmn(xml, filename)
        return jsonify({"key": parsed.process_id, "version": None, "dry_run": True, "problems": [],
                        "warnings": lint_warnings(parsed)})
    result = deploy_bpmn(xml, filename, current_user().username, draft=args["draft"], new_version=args["new_version"])
    body = {"key": result.key, "version": result.version, "created": result.created, "state": result.state,
            "active": result.active, "diagram_updated": result.diagram_updated, "warnings": list(result.warnings)}
    return jsonify(body), 201 if result.created else 200


@bp.get("/processes/<key>/versions/<id:version>/bpmn")
@require("process.read")
def process_xml(key: str, version: int):
    xml = version_xml(key, version)
    if xml is None:
        raise NotFoundError(f"no version {version} of process '{key}'")
    return Response(xml, mimetype="application/xml")


@bp.post("/processes/<key>/versions/<id:version>/activate")
@require("process.change")
def activate_process_version(key: str, version: int):
    return jsonify(version_summary(activate_version(key, version)))




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
    capped = fields.Boolean(metadata={"description": "true: only the newest 500 cases of the weeks were replayed"})
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
    return jsonify(what_if(key, version, load_args(_WHAT_IF_ARGS)["weeks"]))
