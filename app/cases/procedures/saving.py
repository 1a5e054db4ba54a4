"""Saving an edited copy (a diagram, a form) against the copy its editor read: the later of two saves fails."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm.exc import StaleDataError

from app.extensions import db

from ..errors import ConflictError


@contextmanager
def saving_copy(what: str) -> Iterator[None]:
    """Commit what the block changed; a row saved by someone else meanwhile (its lock version moved) is a
    ConflictError naming `what`, and any failure rolls everything back."""
    try:
        yield
        db.session.commit()
    except StaleDataError as exc:
        db.session.rollback()
        raise ConflictError(f"someone saved this {what} meanwhile; reload it and apply your change again") from exc
    except BaseException:
        db.session.rollback()
        raise
