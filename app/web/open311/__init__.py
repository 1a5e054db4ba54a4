"""Open311 GeoReport v2 under /open311/v2: discovery, services, service definitions, posting and reading service
requests, tokens; JSON or XML by the path's extension; errors as the standard's error arrays. Reading is public;
posting needs `api_key`, an API token of a user who may register appeals (policy action open311.submit)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("open311", __name__, url_prefix="/open311/v2")

from . import views  # noqa: E402,F401  (routes register on import)
