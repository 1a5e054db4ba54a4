"""Departments, users, passwords and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import bindparam, select

from app.extensions import db
from app.models import ROLES, ApiToken, Counter, Department, LaneGroup, User

from . import reference
from .catalogue import ensure_default_catalogue
from .errors import ConflictError, NotFoundError, ValidationFailedError

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
    """Add a user with roles (see ROLES) and an optional department code."""
    errors: dict[str, list[str]] = {}
    username = username.strip()
    if not username or len(username) > 64 or not username.replace("_", "").replace(".", "").replace("-", "").isalnum():
        errors["username"] = ["letters, digits, '.', '-' and '_'; at most 64"]
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
    user = db.session.scalar(select(User).where(User.username == username, User.active.is_(True)))
    if user is None or not user.password_hash:
        _hasher.hash(password)  # same cost whether or not the user exists
        return None
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    return user


def issue_token(username: str) -> str:
    """A new random API token for the user; only its SHA-256 is stored."""
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFoundError(f"no user {username}")
    token = secrets.token_urlsafe(32)
    db.session.add(ApiToken(user_id=user.id, token_hash=_token_hash(token)))
    db.session.commit()
    return token


@dataclass(frozen=True)
class Principal:
    """Who is acting: what the services need to know of a user, read in one query per request."""

    id: int
    username: str
    roles: frozenset[str]
    department_id: int | None
    department_code: str | None

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def groups(self) -> frozenset[str]:
        """Each role, and each role at the user's department."""
        code = self.department_code
        return frozenset([*self.roles, *(f"{r}@{code}" for r in self.roles if code)])


def user_for_token(token: str) -> Principal | None:
    # A 256-bit random token needs no slow hash: SHA-256 is preimage-resistant and one lookup.
    row = db.session.connection().execute(_PRINCIPAL_BY_TOKEN, {"token_hash": _token_hash(token)}).first()
    if row is None:
        return None
    return Principal(row.id, row.username, frozenset(r for r in row.roles.split(",") if r), row.department_id, row.code)


_users, _tokens, _departments = User.__table__, ApiToken.__table__, Department.__table__
_PRINCIPAL_BY_TOKEN = (
    select(_users.c.id, _users.c.username, _users.c.roles, _users.c.department_id, _departments.c.code)
    .join(_tokens, _tokens.c.user_id == _users.c.id)
    .outerjoin(_departments, _departments.c.id == _users.c.department_id)
    .where(_tokens.c.token_hash == bindparam("token_hash"), _tokens.c.revoked_at.is_(None), _users.c.active.is_(True))
)


def principal_of(user: User) -> Principal:
    return Principal(user.id, user.username, user.roles, user.department_id, user.department.code if user.department else None)


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
