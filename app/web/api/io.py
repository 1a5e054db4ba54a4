"""Reading request bodies and query strings through schemas."""

from __future__ import annotations

from typing import Any

from flask import request
from marshmallow import Schema

from app.web.gate import MalformedError, parse_json

__all__ = ["MalformedError", "json_body", "json_object", "load_args", "load_body"]


def json_body(allow_empty: bool = False) -> Any:
    """The request's JSON body, through the input gate (valid, bounded JSON of valid text)."""
    raw = request.get_data(cache=True)
    if not raw:
        if allow_empty:
            return {}
        raise MalformedError("the request needs a JSON body")
    if not request.is_json:
        raise MalformedError("send Content-Type: application/json")
    return parse_json(raw)


def json_object(allow_empty: bool = False) -> dict:
    """The request's JSON body, which must be an object (400 otherwise)."""
    body = json_body(allow_empty)
    if not isinstance(body, dict):
        raise MalformedError("the body must be a JSON object")
    return body


def load_body(schema: Schema, allow_empty: bool = False) -> dict:
    return schema.load(json_object(allow_empty))


def load_args(schema: Schema) -> dict:
    args = {k: v for k, v in request.args.items() if v != ""}
    return schema.load(args)
