"""Executing prebuilt Core statements inside the session's transaction (the hot path skips the ORM)."""

from __future__ import annotations

from app.extensions import db


def sql(statement, params=None):
    """Execute a Core statement on the session's connection (inside its transaction)."""
    return db.session.connection().execute(statement, params)
