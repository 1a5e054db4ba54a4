"""The input gate: what every request must be before any view reads it.

- the path, query string and form fields hold text only: no NUL, no unpaired surrogate
  (PostgreSQL refuses NUL in text; an unpaired surrogate cannot be encoded) -> 400;
- a JSON body is valid JSON (no NaN/Infinity, no integer of more than 4,300 digits), nested at most
  MAX_DEPTH levels, and every string in it is valid text -> 400, or 422 naming the field;
- bodies are at most MAX_CONTENT_LENGTH bytes -> 413 (Flask); attachment uploads (ATTACHMENT_UPLOADS) at most
  MINYI_ATTACHMENT_MAX_BYTES plus the multipart envelope, refused with a message naming the limit;
- numeric ids in paths are bounded by the routes (`<int(max=...)>`), dates by the schemas.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Flask, Request, current_app, request
from werkzeug.exceptions import BadRequest, RequestEntityTooLarge
from werkzeug.routing import IntegerConverter

from app.cases.errors import MinyiError, ValidationFailedError
from app.cases.files.store import too_large_message

MAX_DEPTH = 32
MAX_ID = 2**31 - 1  # the largest id any table hands out (PostgreSQL integer)
ATTACHMENT_UPLOADS = frozenset({"api.upload_attachment", "staff.upload_attachment"})
MULTIPART_ENVELOPE = 64 * 1024  # boundaries, part headers and the CSRF field around the file


class MalformedError(MinyiError):
    code, http_status = "malformed", 400


class IdConverter(IntegerConverter):
    """`<id:name>`: a positive integer that fits the id columns; anything else is a 404, never an overflow."""

    def __init__(self, url_map, *args, **kwargs):
        super().__init__(url_map, min=1, max=MAX_ID)


class GateRequest(Request):
    """Requests whose body limit is MAX_CONTENT_LENGTH, or the attachment limit on the upload routes."""

    @property
    def max_content_length(self) -> int | None:
        if self._max_content_length is None and self._is_attachment_upload():
            return int(current_app.config["MINYI_ATTACHMENT_MAX_BYTES"]) + MULTIPART_ENVELOPE
        return super().max_content_length

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        self._max_content_length = value

    def _is_attachment_upload(self) -> bool:
        return bool(current_app) and self.url_rule is not None and self.url_rule.endpoint in ATTACHMENT_UPLOADS

    def _load_form_data(self) -> None:
        try:
            super()._load_form_data()
        except RequestEntityTooLarge as exc:
            if self._is_attachment_upload():
                raise RequestEntityTooLarge(too_large_message()) from exc
            raise


def install(app: Flask) -> None:
    """Register the gate; call before the blueprints (their routes use the `id` converter)."""
    app.request_class = GateRequest
    app.url_map.converters["id"] = IdConverter
    app.before_request(check_request_text)


def text_problem(value: str) -> str | None:
    """Why a string is not acceptable text, or None."""
    if "\x00" in value:
        return "contains a NUL character"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "contains an unpaired surrogate (not valid Unicode text)"
    return None


def check_request_text() -> None:
    """Path, query string and form fields: text only."""
    for where, value in _request_texts():
        problem = text_problem(value)
        if problem:
            raise BadRequest(f"the {where} {problem}")


def _request_texts():
    yield "path", request.path
    for key, values in request.args.lists():
        yield "query string", key
        for value in values:
            yield f"query parameter '{key[:40]}'", value
    if request.mimetype in ("multipart/form-data", "application/x-www-form-urlencoded"):
        for key, values in request.form.lists():
            for value in (key, *values):
                yield f"form field '{key[:40]}'", value


def parse_json(raw: bytes) -> Any:
    """The JSON body, refused with a clear error when it is not plain, bounded JSON text."""
    try:
        value = json.loads(raw, parse_constant=_no_constant)
    except RecursionError as exc:
        raise MalformedError(f"the body is nested deeper than {MAX_DEPTH} levels") from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise MalformedError(f"the body is not valid JSON: {str(exc)[:200]}") from exc
    check_json(value)
    return value


def _no_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


def check_json(value: Any) -> None:
    """Depth and text of a parsed JSON value, walked without recursion."""
    stack: list[tuple[Any, str, int]] = [(value, "", 0)]
    bad: dict[str, list[str]] = {}
    while stack:
        item, path, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise MalformedError(f"the body is nested deeper than {MAX_DEPTH} levels")
        if isinstance(item, str):
            problem = text_problem(item)
            if problem:
                bad.setdefault(path or "_schema", []).append(f"Not valid text: {problem}.")
        elif isinstance(item, dict):
            for key, child in item.items():
                key_problem = text_problem(key)
                if key_problem:
                    bad.setdefault(path or "_schema", []).append(f"A key is not valid text: {key_problem}.")
                    continue
                stack.append((child, f"{path}.{key}" if path else key, depth + 1))
        elif isinstance(item, list):
            stack.extend((child, f"{path}.{i}" if path else str(i), depth + 1) for i, child in enumerate(item))
    if bad:
        raise ValidationFailedError("the request holds text that is not valid", bad)
