"""Reading request bodies and query strings through schemas."""

from __future__ import annotations

from typing import Any

from flask import request
from marshmallow import Schema

from app.cases.errors import MinyiError


class MalformedError(MinyiError):
    code, http_status = "malformed", 400


def json_body(allow_empty: bool = False) -> Any:
    if not request.data:
        if allow_empty:
            return {}
        raise MalformedError("the request needs a JSON body")
    if not request.is_json:
        raise MalformedError("send Content-Type: application/json")
    body = request.get_json(silent=True)
    if body is None:
        raise MalformedError("the body is not valid JSON")
    return body


def load_body(schema: Schema, allow_empty: bool = False) -> dict:
    body = json_body(allow_empty)
    if not isinstance(body, dict):
        raise MalformedError("the body must be a JSON object")
    return schema.load(body)


def load_args(schema: Schema) -> dict:
    args = {k: v for k, v in request.args.items() if v != ""}
    return schema.load(args)
