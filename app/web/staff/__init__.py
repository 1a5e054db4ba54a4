"""Staff pages: sign-in, the inbox, task forms, the case workspace and intake."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("staff", __name__)

from . import auth, cases, inbox, intake, tasks  # noqa: E402,F401  (routes register on import)
