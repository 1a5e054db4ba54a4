"""API tokens: issued to a user for a number of days, shown once, stored as a SHA-256 only; who holds one."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import bindparam, select

from app.extensions import db
from app.models import ApiToken, User, utcnow

from ..errors import ConflictError, NotFoundError, T, ValidationFailedError
from ..policy import Principal
from ..transaction import transaction
from .users import ACTIVE_USER, PRINCIPAL, principal_from_row


@dataclass(frozen=True)
class NewToken:
    """A token just issued: the secret is shown once and never stored."""

    id: int
    name: str
    expires_at: datetime
    secret: str


def create_token(username: str, name: str | None = None, days: int | None = None) -> NewToken:
    """A new random API token for the user, valid `days` (default MINYI_TOKEN_DAYS); only its SHA-256 is stored."""
    days = current_app.config["MINYI_TOKEN_DAYS"] if days is None else days
    name = (name or "").strip()
    errors = {}
    if not 1 <= days <= 3650:
        errors["days"] = ["between 1 and 3650"]
    if len(name) > 100:
        errors["name"] = ["at most 100 characters"]
    if errors:
        raise ValidationFailedError(T('invalid token'), errors)
    secret = secrets.token_urlsafe(32)
    with transaction():
        user = db.session.scalar(select(User).where(User.username == username))
        if user is None:
            raise NotFoundError(T('no user %(username)s', username=username))
        if not user.active:
            raise ConflictError(T('user %(username)s is deactivated', username=username))
        now = utcnow()
        row = ApiToken(user_id=user.id, token_hash=_token_hash(secret), name=name, created_at=now,
                       expires_at=now + timedelta(days=days))
        db.session.add(row)
    return NewToken(row.id, row.name, row.expires_at, secret)


def issue_token(username: str, name: str | None = None, days: int | None = None) -> str:
    """create_token, for callers that want only the secret (tests, benchmarks)."""
    return create_token(username, name, days).secret


def user_for_token(token: str) -> Principal | None:
    """Who holds this token: None when it is unknown, revoked or expired, or its user is deactivated."""
    # A 256-bit random token needs no slow hash: SHA-256 is preimage-resistant and one lookup.
    row = db.session.connection().execute(
        _PRINCIPAL_BY_TOKEN, {"token_hash": _token_hash(token), "now": utcnow()}).first()
    return principal_from_row(row)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


_users, _tokens = User.__table__, ApiToken.__table__
_PRINCIPAL_BY_TOKEN = PRINCIPAL.join(_tokens, _tokens.c.user_id == _users.c.id).where(
    _tokens.c.token_hash == bindparam("token_hash"), _tokens.c.revoked_at.is_(None),
    _tokens.c.expires_at > bindparam("now"), ACTIVE_USER,
)
