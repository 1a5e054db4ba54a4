"""The one transaction boundary: every service that writes does so inside `transaction()`.

The outermost block commits when it ends and rolls back on any failure; a block inside it joins it, so
services compose (a review opens a case and notes it on the reviewed one: one transaction, no callback).
The database's refusals become domain errors here and nowhere else:
- a lock or serialization failure (SQLite's "database is locked", PostgreSQL's "could not serialize" or
  a deadlock) -> StaleStateError (409: someone else changed it; try again);
- a row saved by someone else meanwhile (an ORM row's version column moved) -> StaleStateError, in the caller's
  words when given (`on_stale`);
- a unique constraint another request won -> ConflictError with the caller's words, when the caller
  says what a duplicate means (`on_duplicate`); otherwise it stays the programming error it is.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError

from app.extensions import db

from . import errors
from .errors import T

_depth: ContextVar[int] = ContextVar("minyi_transaction_depth", default=0)
_CONTENTION = ("locked", "could not serialize", "deadlock detected", "could not obtain lock")


@contextmanager
def transaction(on_duplicate: str | None = None, on_stale: str | None = None) -> Iterator[None]:
    """Run the block in the session's transaction: commit at the end of the outermost block, roll back on failure."""
    depth = _depth.get()
    token = _depth.set(depth + 1)
    try:
        yield
        if depth == 0:
            db.session.commit()
    except BaseException as exc:
        if depth == 0:
            db.session.rollback()
        mapped = _domain_error(exc, on_duplicate, on_stale)
        if mapped is not None:
            raise mapped from exc
        raise
    finally:
        _depth.reset(token)


def in_transaction() -> bool:
    """Whether a `transaction()` block is open (its owner commits)."""
    return _depth.get() > 0


def _domain_error(exc: BaseException, on_duplicate: str | None, on_stale: str | None) -> errors.MinyiError | None:
    if isinstance(exc, StaleDataError):
        return errors.StaleStateError(on_stale or "it was changed meanwhile; reload it and try again")
    if isinstance(exc, OperationalError) and any(word in str(exc).lower() for word in _CONTENTION):
        return errors.StaleStateError(T('the case is being changed by someone else; try again'))
    if isinstance(exc, IntegrityError) and on_duplicate is not None:
        return errors.ConflictError(on_duplicate)
    return None
