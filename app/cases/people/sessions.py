"""Staff sessions kept on the server. The browser's cookie carries a random token; the database keeps its SHA-256
(a stolen copy of the table opens nothing) with the user and when it began. Every request asks for the session's
user, so a session ends for good when the user signs out, is deactivated or gets a new password — a cookie copied
before still names the session, which no longer opens anything.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, insert, select, update

from app.extensions import db
from app.models import StaffSession, User

from ..policy import Principal
from ..transaction import transaction
from .users import ACTIVE_USER, PRINCIPAL, principal_from_row

_sessions, _users = StaffSession.__table__, User.__table__


def utcnow() -> datetime:
    """Sessions live in wall-clock time, not the application's clock (which tests and demos move)."""
    return datetime.now(UTC)


def start_session(user_id: int, address: str) -> str:
    """A new session for the user; returns the token the cookie keeps (shown once, stored only as its hash)."""
    token = secrets.token_urlsafe(32)
    with transaction():
        db.session.execute(insert(_sessions).values(id=_digest(token), user_id=user_id, address=(address or "")[:64],
                                                    created_at=utcnow()))
    return token


def principal_for_session(token: str, user_id: int, lifetime: timedelta) -> Principal | None:
    """The active user behind a session that has not ended and is younger than `lifetime`; None otherwise."""
    if not token or len(token) > 100:
        return None
    row = db.session.connection().execute(
        PRINCIPAL.join(_sessions, _sessions.c.user_id == _users.c.id)
        .where(_sessions.c.id == _digest(token), _users.c.id == user_id, _sessions.c.ended_at.is_(None),
               _sessions.c.created_at > utcnow() - lifetime, ACTIVE_USER)
    ).first()
    return principal_from_row(row)


def end_session(token: str) -> None:
    """Sign-out: this browser's session ends."""
    if token:
        with transaction():
            db.session.execute(update(StaffSession).where(StaffSession.id == _digest(token),
                                                          StaffSession.ended_at.is_(None)).values(ended_at=utcnow()))


def end_sessions_of(user_id: int) -> int:
    """Every open session of the user ends (deactivation, a new password); inside the caller's transaction."""
    return db.session.execute(update(StaffSession).where(StaffSession.user_id == user_id,
                                                         StaffSession.ended_at.is_(None))
                              .values(ended_at=utcnow())).rowcount


def purge_sessions(lifetime: timedelta) -> int:
    """Remove sessions that ended, or outlived `lifetime`, more than a day ago (the scheduler's housekeeping)."""
    cutoff = utcnow() - timedelta(days=1)
    with transaction():
        return db.session.execute(delete(StaffSession).where(
            (StaffSession.ended_at < cutoff) | (StaffSession.created_at < cutoff - lifetime))).rowcount


def open_sessions(user_id: int) -> int:
    return len(db.session.scalars(select(StaffSession.id).where(StaffSession.user_id == user_id,
                                                                  StaffSession.ended_at.is_(None))).all())


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
