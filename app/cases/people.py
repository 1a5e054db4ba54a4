"""Departments, users, passwords and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from sqlalchemy import bindparam, select

from app.extensions import db
from app.models import ROLES, ApiToken, Counter, Department, LaneGroup, User, utcnow

from . import reference
from .errors import ConflictError, NotFoundError, ValidationFailedError
from .passwords import password_problems
from .procedures.catalogue import ensure_default_catalogue

_hasher = PasswordHasher()

DEFAULT_LANES = (
    ("Intake", "intake", False),
    ("Department", "handler", True),
    ("DepartmentHead", "head", True),
    ("Leadership", "leader", False),
    ("Supervision", "supervisor", False),
    ("Mediation", "mediator", False),
    ("Analysis", "analyst", False),
)


def create_department(code: str, name: str) -> Department:
    """Add a department; ConflictError when the code is taken."""
    code = code.strip().upper()
    if not code or not code.replace("_", "").replace("-", "").isalnum() or len(code) > 32:
        raise ValidationFailedError("invalid department code", {"code": ["letters, digits, - and _; at most 32"]})
    if not name.strip():
        raise ValidationFailedError("invalid department name", {"name": ["must not be blank"]})
    if db.session.scalar(select(Department).where(Department.code == code)):
        raise ConflictError(f"department {code} exists already")
    department = Department(code=code, name=name.strip())
    db.session.add(department)
    db.session.commit()
    reference.forget()
    return department


def create_user(
    username: str,
    roles: list[str],
    department: str | None = None,
    password: str | None = None,
    display_name: str | None = None,
) -> User:
    """Add a user with roles (see ROLES) and an optional department code; the password must pass the policy
    (app/cases/passwords.py). Without a password the account can only use API tokens."""
    errors: dict[str, list[str]] = {}
    username = username.strip()
    if not username or len(username) > 64 or not username.replace("_", "").replace(".", "").replace("-", "").isalnum():
        errors["username"] = ["letters, digits, '.', '-' and '_'; at most 64"]
    if password is not None and (problems := password_problems(password, username)):
        errors["password"] = problems
    unknown = sorted(set(roles) - set(ROLES))
    if unknown or not roles:
        errors["roles"] = [f"unknown role(s): {', '.join(unknown)}; roles: {', '.join(ROLES)}" if unknown else "at least one role"]
    dept = None
    if department:
        dept = db.session.scalar(select(Department).where(Department.code == department.strip().upper()))
        if dept is None:
            errors["department"] = [f"no department {department}"]
    if errors:
        raise ValidationFailedError("invalid user", errors)
    if db.session.scalar(select(User.id).where(User.username == username)):
        raise ConflictError(f"user {username} exists already")
    user = User(
        username=username,
        display_name=display_name or username,
        roles_text=",".join(sorted(set(roles))),
        department_id=dept.id if dept else None,
        password_hash=_hasher.hash(password) if password else None,
    )
    db.session.add(user)
    db.session.commit()
    return user


def verify_password(username: str, password: str) -> User | None:
    """The active user with this password, else None (the same cost either way)."""
    user = db.session.scalar(select(User).where(User.username == username, ACTIVE_USER))
    if user is None or not user.password_hash:
        _hasher.hash(password)  # same cost whether or not the user exists
        return None
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    return user


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
        raise ValidationFailedError("invalid token", errors)
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFoundError(f"no user {username}")
    if not user.active:
        raise ConflictError(f"user {username} is deactivated")
    secret = secrets.token_urlsafe(32)
    now = utcnow()
    row = ApiToken(user_id=user.id, token_hash=_token_hash(secret), name=name, created_at=now,
                   expires_at=now + timedelta(days=days))
    db.session.add(row)
    db.session.commit()
    return NewToken(row.id, row.name, row.expires_at, secret)


def issue_token(username: str, name: str | None = None, days: int | None = None) -> str:
    """create_token, for callers that want only the secret (tests, benchmarks)."""
    return create_token(username, name, days).secret


@dataclass(frozen=True)
class Principal:
    """Who is acting: what the services need to know of a user, read in one query per request."""

    id: int
    username: str
    roles: frozenset[str]
    department_id: int | None
    department_code: str | None
    display_name: str | None = None  # for the pages' header
    department_name: str | None = None

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def groups(self) -> frozenset[str]:
        """Each role, and each role at the user's department."""
        code = self.department_code
        return frozenset([*self.roles, *(f"{r}@{code}" for r in self.roles if code)])


def user_for_token(token: str) -> Principal | None:
    """Who holds this token: None when it is unknown, revoked or expired, or its user is deactivated."""
    # A 256-bit random token needs no slow hash: SHA-256 is preimage-resistant and one lookup.
    row = db.session.connection().execute(
        _PRINCIPAL_BY_TOKEN, {"token_hash": _token_hash(token), "now": utcnow()}).first()
    return _principal(row)


def principal_for_user_id(user_id: int) -> Principal | None:
    """The user behind a session, read again on every request: None once the user is deactivated.

    Sessions (the staff pages) call this rather than trust what the session remembers, so
    that deactivating a user cuts their sessions off at once, as it does their tokens: both go
    through ACTIVE_USER."""
    return _principal(db.session.connection().execute(_PRINCIPAL_BY_ID, {"user_id": user_id}).first())


def _principal(row) -> Principal | None:
    if row is None:
        return None
    return Principal(row.id, row.username, frozenset(r for r in row.roles.split(",") if r), row.department_id, row.code,
                     row.display_name, row.department_name)


_users, _tokens, _departments = User.__table__, ApiToken.__table__, Department.__table__
# The one "may this user act" check: tokens, passwords and sessions all use it.
ACTIVE_USER = _users.c.active.is_(True)
_PRINCIPAL = (
    select(_users.c.id, _users.c.username, _users.c.roles, _users.c.department_id, _departments.c.code,
           _users.c.display_name, _departments.c.name.label("department_name"))
    .outerjoin(_departments, _departments.c.id == _users.c.department_id)
)
_PRINCIPAL_BY_TOKEN = _PRINCIPAL.join(_tokens, _tokens.c.user_id == _users.c.id).where(
    _tokens.c.token_hash == bindparam("token_hash"), _tokens.c.revoked_at.is_(None),
    _tokens.c.expires_at > bindparam("now"), ACTIVE_USER,
)
_PRINCIPAL_BY_ID = _PRINCIPAL.where(_users.c.id == bindparam("user_id"), ACTIVE_USER)


def principal_of(user: User) -> Principal:
    department = user.department
    return Principal(user.id, user.username, user.roles, user.department_id, department.code if department else None,
                     user.display_name, department.name if department else None)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def ensure_reference_data() -> None:
    """What the first migration seeds, for databases made with create_all (tests, benchmarks): idempotent."""
    if db.session.get(Counter, "case") is None:
        db.session.add(Counter(name="case", value=0))
    ensure_default_lanes()
    ensure_default_catalogue()


def ensure_default_lanes() -> None:
    """The lane names the shipped processes use, each mapped to a role (idempotent)."""
    existing = set(db.session.scalars(select(LaneGroup.lane)))
    for lane, role, scoped in DEFAULT_LANES:
        if lane not in existing:
            db.session.add(LaneGroup(lane=lane, role=role, department_scoped=scoped))
    db.session.commit()
    reference.forget()
