"""Web layer: one blueprint package per audience."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import Flask, request
from werkzeug.exceptions import HTTPException


def register(app: Flask) -> None:
    from flask_limiter import RateLimitExceeded

    from .api import bp as api_bp
    from .api.errors import json_error_for_app
    from .gate import install as install_gate
    from .limits import too_many_requests
    from .pages import bp as pages_bp

    install_gate(app)
    app.register_blueprint(api_bp)
    app.register_blueprint(pages_bp)
    app.register_error_handler(RateLimitExceeded, too_many_requests)
    app.jinja_env.filters["local"] = _local_time(app.config["MINYI_TIMEZONE"])

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        if request.path.startswith("/api/"):
            return json_error_for_app(exc)
        return exc


def _local_time(zone_name: str):
    zone = ZoneInfo(zone_name)

    def local(value, fmt="%Y-%m-%d %H:%M"):
        return value.astimezone(zone).strftime(fmt) if value else ""

    return local
