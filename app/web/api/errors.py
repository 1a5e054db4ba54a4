"""Every failure of the API in one shape: {"error": {"code", "message", "details"}}."""

from __future__ import annotations

from flask import Blueprint, jsonify
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException

from app.cases.errors import MinyiError


def error_response(status: int, code: str, message: str, details: dict | None = None):
    response = jsonify({"error": {"code": code, "message": message, "details": details or {}}})
    response.status_code = status
    return response


def install_error_handlers(bp: Blueprint) -> None:
    @bp.errorhandler(MinyiError)
    def _domain(exc: MinyiError):
        return error_response(exc.http_status, exc.code, exc.message, exc.details)

    @bp.errorhandler(ValidationError)
    def _validation(exc: ValidationError):
        messages = exc.messages if isinstance(exc.messages, dict) else {"_schema": exc.messages}
        return error_response(422, "validation_failed", "the request data is not valid", messages)

    @bp.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        code = (exc.name or "error").lower().replace(" ", "_")
        return error_response(exc.code or 500, code, exc.description or exc.name)


def json_error_for_app(exc: HTTPException):
    """Errors raised before a blueprint is chosen (404 on unknown /api paths, 405, 413)."""
    code = (exc.name or "error").lower().replace(" ", "_")
    return error_response(exc.code or 500, code, exc.description or exc.name)
