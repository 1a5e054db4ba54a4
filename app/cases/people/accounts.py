"""Managing accounts: a user's API tokens, revoking one, deactivating a user, a new password (admins; the CLI passes
no user).

Every change takes effect on the next request: the token lookup (people.user_for_token) checks
revocation, expiry and the user's active flag in the same query.
"""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import ApiToken, User, utcnow

from .. import errors, policy
from ..errors import T
from ..policy import Principal
from ..transaction import transaction
from .passwords import password_problems
from .sessions import end_sessions_of
from .users import password_hash


def tokens_of(actor: Principal | None, username: str) -> list[ApiToken]:
    """The user's tokens, oldest first, revoked and expired ones included."""
    _require_admin(actor)
    user = _user(username)
    return list(db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id)))


def revoke_token(actor: Principal | None, token_id: int) -> ApiToken:
    """Revoke a token; ConflictError when it is revoked already."""
    _require_admin(actor)
    token = db.session.get(ApiToken, token_id)
    if token is None:
        raise errors.NotFoundError(T('no token %(token_id)s', token_id=token_id))
    if token.revoked_at is not None:
        raise errors.ConflictError(T('token %(token_id)s is revoked already', token_id=token_id))
    with transaction():
        token.revoked_at = utcnow()
    return token


def deactivate_user(actor: Principal | None, username: str) -> User:
    """Cut a user off: their tokens (and sessions) stop working at once; ConflictError when already inactive."""
    _require_admin(actor)
    user = _user(username)
    if not user.active:
        raise errors.ConflictError(T('user %(username)s is deactivated already', username=username))
    if actor is not None and actor.id == user.id:
        raise errors.ConflictError(T('you cannot deactivate yourself'))
    with transaction():
        user.active, user.deactivated_at = False, utcnow()
        end_sessions_of(user.id)
    return user


def set_password(actor: Principal | None, username: str, password: str) -> User:
    """A new password (it must pass the policy): every session of the user ends, signed in with the old one."""
    _require_admin(actor)
    user = _user(username)
    if problems := password_problems(password, username):
        raise errors.ValidationFailedError(T('the password is not acceptable'), {"password": problems})
    with transaction():
        user.password_hash = password_hash(password)
        end_sessions_of(user.id)
    return user


def activate_user(actor: Principal | None, username: str) -> User:
    """Undo deactivate_user: tokens that are neither revoked nor expired work again."""
    _require_admin(actor)
    user = _user(username)
    if user.active:
        raise errors.ConflictError(T('user %(username)s is active already', username=username))
    with transaction():
        user.active, user.deactivated_at = True, None
    return user


def _user(username: str) -> User:
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        raise errors.NotFoundError(T('no user %(username)s', username=username))
    return user


def _require_admin(actor: Principal | None) -> None:
    """Admins manage accounts (policy action account.manage); the command line passes no actor."""
    if actor is not None:
        policy.require(actor, "account.manage")
