"""Web layer: one blueprint package per audience."""

from __future__ import annotations

from flask import Flask, request
from werkzeug.exceptions import HTTPException


def register(app: Flask) -> None:
    from .api import bp as api_bp
    from .api.errors import json_error_for_app
    from .pages import bp as pages_bp

    app.register_blueprint(api_bp)
    app.register_blueprint(pages_bp)

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        if request.path.startswith("/api/"):
            return json_error_for_app(exc)
        return exc
