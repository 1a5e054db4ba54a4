"""JSON API under /api/v1: bearer-token auth, one error format, marshmallow at the edges."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from . import (  # noqa: E402,F401 - views register on bp
    accounts,
    attachments,
    case_events,
    cases,
    catalogue,
    console,
    filters,
    incoming,
    lanes,
    messages,
    migrations,
    notifications,
    openapi,
    people,
    processes,
    public,
    repeats,
    reports,
    search,
    stats,
    supervision,
    tasks,
    taxonomy,
    what_if,
)
from .errors import install_error_handlers  # noqa: E402

install_error_handlers(bp)
