"""Public pages (no sign-in): the front page, the appeal form, tracking a case with its access code, rating an answer
through the one-time link a message carried, the office's published figures (disclosure)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("pages", __name__)

from . import disclosure, rating, submit, track  # noqa: E402,F401  (routes register on import)
