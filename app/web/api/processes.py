"""Process versions: list, upload (with dry run or as a draft), download, activate."""

from __future__ import annotations

from flask import Response, jsonify, request

from app.cases.errors import NotFoundError
from app.cases.groups import parse_group
from app.cases.procedures.lanes import set_default_group
from app.cases.procedures.processes import (
    activate_version,
    deploy_bpmn,
    lint_bpmn,
    lint_warnings,
    version_summary,
    version_xml,
    versions_overview,
)

from . import bp
from .auth import current_user, require
from .io import MalformedError, load_args
from .schemas import ProcessUploadArgs

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
    group = args.get("default_group")
    if group:
        parse_group(group, "default_group")  # a bad group refuses the upload before anything is stored
    if args["dry_run"]:
        parsed = lint_bpmn(xml, filename)
        return jsonify({"key": parsed.process_id, "version": None, "dry_run": True, "problems": [],
                        "warnings": lint_warnings(parsed)})
    result = deploy_bpmn(xml, filename, current_user().username, draft=args["draft"], new_version=args["new_version"])
    if group:
        set_default_group(result.key, group, current_user().username)
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
