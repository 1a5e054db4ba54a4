"""Staff pages: sign-in, the inbox, task forms, the case workspace, intake, the supervisor console, the analysts'
figures and periodic reports, the process owners' workbench, the administrators' system and messages pages."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("staff", __name__)

from . import (  # noqa: E402,F401  (routes register on import)
    auth,
    cases,
    inbox,
    incoming,
    intake,
    lanes,
    messages,
    notifications,
    reports,
    search,
    stats,
    supervision,
    system,
    tasks,
    taxonomy,
    workbench,
    workbench_changes,
    workbench_forms,
    workbench_what_if,
)
