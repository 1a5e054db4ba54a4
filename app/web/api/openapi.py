"""The OpenAPI document, built with apispec from the same marshmallow schemas the views use."""

from __future__ import annotations

from functools import lru_cache

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import jsonify

from . import bp
from .schemas import (
    AssignIn,
    BulkAssignIn,
    CaseCreated,
    CaseIn,
    CaseListArgs,
    CatalogueBindIn,
    CatalogueEntryOut,
    ErrorOut,
    LedgerOut,
    ProcessDeployedOut,
    ProcessUploadArgs,
    ProcessVersionOut,
    PublicLookupArgs,
    RatingIn,
    TaskListArgs,
    TaskOut,
)

UPLOAD = {"type": "object", "required": ["file"], "properties": {"file": {"type": "string", "format": "binary"}}}
ERRORS = {str(code): {"$ref": "#/components/responses/Error"} for code in (400, 401, 403, 404, 409, 422)}

# (method, path, summary, request schema, query schema, response schema, public?)
ROUTES = [
    ("post", "/cases", "Register a case (intake by staff or integration)", "CaseIn", None, "CaseCreated", False),
    ("get", "/cases", "List cases", None, CaseListArgs, None, False),
    ("get", "/cases/{number}", "A case with its open tasks and process version", None, None, None, False),
    ("get", "/cases/{number}/timeline", "The case's ledger, oldest first", None, None, "LedgerOut", False),
    ("post", "/cases/{number}/hold", "Put a case on hold: no SLA clock runs", None, None, None, False),
    ("post", "/cases/{number}/resume", "Resume a held case: deadlines move by the paused time", None, None, None, False),
    ("get", "/tasks", "Open tasks: mine, my groups', or all", None, TaskListArgs, None, False),
    ("get", "/tasks/{id}", "A task with its case summary and form fields", None, None, "TaskOut", False),
    ("post", "/tasks/{id}/claim", "Claim a task", None, None, "TaskOut", False),
    ("post", "/tasks/{id}/release", "Release a claimed task", None, None, "TaskOut", False),
    ("post", "/tasks/{id}/complete", "Complete a task with its form data", None, None, None, False),
    ("post", "/tasks/{id}/assign", "Assign a task to a user or group (supervisors)", "AssignIn", None, "TaskOut", False),
    ("post", "/tasks/assign", "Assign several tasks (supervisors)", "BulkAssignIn", None, None, False),
    ("get", "/notifications", "My notifications (addressed to me or my groups); ?unread=true", None, None, None, False),
    ("post", "/notifications/{id}/read", "Mark a notification read", None, None, None, False),
    ("get", "/processes", "Deployed process versions with state, active flag and running cases", None, None,
     "ProcessVersionList", False),
    ("post", "/processes", "Upload a BPMN file (multipart field 'file'): published and active unless ?draft=true; "
     "?dry_run=true lints only. 201 for a new version, 200 when the content equals an existing one", "multipart",
     ProcessUploadArgs, "ProcessDeployedOut", False),
    ("get", "/processes/{key}/versions/{version}/bpmn", "The BPMN XML of a version", None, None, None, False),
    ("post", "/processes/{key}/versions/{version}/activate", "Make this version the one new cases start on "
     "(a draft is published); roll back or forward", None, None, "ProcessVersionOut", False),
    ("get", "/catalogue", "Which process each category starts (process null when unbound)", None, None,
     "CatalogueList", False),
    ("put", "/catalogue/{category}", "Bind a category to a process with an active version (422 otherwise)",
     "CatalogueBindIn", None, "CatalogueEntryOut", False),
    ("get", "/public/cases/{number}", "A petitioner's view of their case", None, PublicLookupArgs, None, True),
    ("post", "/public/cases/{number}/rating", "The petitioner rates the answer", "RatingIn", None, None, True),
]


@lru_cache(maxsize=1)
def build_spec() -> dict:
    spec = APISpec(
        title="Minyi API",
        version="1.0.0",
        openapi_version="3.0.3",
        plugins=[MarshmallowPlugin()],
        info={"description": "Case management for public appeals. Errors: {error: {code, message, details}}."},
        servers=[{"url": "/api/v1"}],
    )
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    for name, schema in {"CaseIn": CaseIn, "CaseCreated": CaseCreated, "TaskOut": TaskOut, "LedgerOut": LedgerOut,
                         "AssignIn": AssignIn, "BulkAssignIn": BulkAssignIn, "RatingIn": RatingIn, "Error": ErrorOut,
                         "ProcessVersionOut": ProcessVersionOut, "ProcessDeployedOut": ProcessDeployedOut,
                         "CatalogueEntryOut": CatalogueEntryOut, "CatalogueBindIn": CatalogueBindIn}.items():
        spec.components.schema(name, schema=schema)
    spec.components.schema("ProcessVersionList", {"type": "array", "items": {"$ref": "#/components/schemas/ProcessVersionOut"}})
    spec.components.schema("CatalogueList", {"type": "array", "items": {"$ref": "#/components/schemas/CatalogueEntryOut"}})
    spec.components.response("Error", {"description": "An error", "content": {"application/json": {"schema": "Error"}}})
    paths: dict[str, dict] = {}
    for method, path, summary, body, query, out, public in ROUTES:
        op: dict = {"summary": summary, "responses": {"200": {"description": "OK"}, **ERRORS}}
        if out:
            op["responses"]["200"] = {"description": "OK", "content": {"application/json": {"schema": out}}}
        if body == "multipart":
            op["requestBody"] = {"required": True, "content": {"multipart/form-data": {"schema": UPLOAD}}}
        elif body:
            op["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
        params = [{"in": "path", "name": p.strip("{}"), "required": True, "schema": {"type": "string"}}
                  for p in path.split("/") if p.startswith("{")]
        if query is not None:
            params.append({"in": "query", "schema": query})
        if params:
            op["parameters"] = params
        if not public:
            op["security"] = [{"bearer": []}]
        paths.setdefault(path, {})[method] = op
    for path, operations in paths.items():
        spec.path(path=path, operations=operations)
    return spec.to_dict()


@bp.get("/openapi.json")
def openapi_json():
    return jsonify(build_spec())
