"""The OpenAPI document, built with apispec from the same marshmallow schemas the views use, from the list of
every route (openapi_routes.py)."""

from __future__ import annotations

import re
from functools import lru_cache

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import jsonify

from app.web.gate import MAX_ID

from ..access import public
from . import bp, outputs, process_outputs
from .openapi_routes import ERRORS, FILES, FORM_DATA, ROUTES, UPLOAD, Route


def _path_schema(path: str, name: str) -> dict:
    """Versions and the ids of notices, incidents and notifications are integers; task ids are engine UUIDs."""
    if name == "version" or (name == "id" and not path.startswith("/tasks")):
        return {"type": "integer", "minimum": 1, "maximum": MAX_ID}
    return {"type": "string", "maxLength": 36 if name == "id" else 100}


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
    spec.components.schema("Error", schema=outputs.ErrorOut)
    spec.components.schema("LedgerList", _list_of("Ledger"))
    spec.components.schema("Ledger", schema=outputs.LedgerOut)
    spec.components.schema("ProcessVersionList", _list_of("ProcessVersion"))
    spec.components.schema("ProcessVersion", schema=process_outputs.ProcessVersionOut)
    spec.components.schema("CatalogueList", _list_of("CatalogueEntry"))
    spec.components.schema("CatalogueEntry", schema=process_outputs.CatalogueEntryOut)
    spec.components.schema("Linted", schema=process_outputs.LintedOut)
    spec.components.response("Error", {"description": "An error", "content": {"application/json": {"schema": "Error"}}})
    paths: dict[str, dict] = {}
    for route in ROUTES:
        paths.setdefault(route.path, {})[route.method] = _operation(route)
    for path, operations in paths.items():
        spec.path(path=path, operations=operations)
    return spec.to_dict()


def _list_of(name: str) -> dict:
    """Every list answers in one shape: {items, total}."""
    return {"type": "object", "properties": {"items": {"type": "array", "items": {"$ref": f"#/components/schemas/{name}"}},
                                             "total": {"type": "integer"}}}


def _operation(route: Route) -> dict:
    responses: dict = {str(code): {"$ref": "#/components/responses/Error"} for code in ERRORS}
    for status, schema in route.responses.items():
        description = route.extra.get(str(status), "OK" if status == 200 else "Created")
        if schema == "binary":
            responses[str(status)] = {"description": description, "content": {"application/octet-stream": {
                "schema": {"type": "string", "format": "binary"}}}}
        elif schema in FILES:
            responses[str(status)] = {"description": description, "content": {FILES[schema]: {
                "schema": {"type": "string", "format": "binary"}}}}
        elif schema == "xml":
            responses[str(status)] = {"description": description, "content": {"application/xml": {"schema": {"type": "string"}}}}
        else:
            responses[str(status)] = {"description": description, "content": {"application/json": {"schema": schema}}}
    op: dict = {"summary": route.summary, "responses": responses}
    if route.body == "multipart":
        op["requestBody"] = {"required": True, "content": {"multipart/form-data": {"schema": UPLOAD}}}
    elif route.body == "csv":
        op["requestBody"] = {"required": True, "content": {"text/csv": {"schema": {"type": "string"}},
                                                             "multipart/form-data": {"schema": UPLOAD}}}
    elif route.body == "form":
        op["requestBody"] = {"required": False, "content": {"application/json": {"schema": FORM_DATA}}}
    elif route.body is not None:
        op["requestBody"] = {"required": True, "content": {"application/json": {"schema": route.body}}}
    params = [{"in": "path", "name": name, "required": True, "schema": _path_schema(route.path, name)}
              for name in re.findall(r"\{(\w+)\}", route.path)]
    if route.query is not None:
        params.append({"in": "query", "schema": route.query})
    if params:
        op["parameters"] = params
    if not route.public:
        op["security"] = [{"bearer": []}]
    return op


@bp.get("/openapi.json")
@public
def openapi_json():
    return jsonify(build_spec())
