"""Staff pages: sign-in, the inbox, task forms, the case workspace, intake and the supervisor console."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("staff", __name__)

from . import auth, cases, inbox, intake, supervision, tasks  # noqa: E402,F401  (routes register on import)
