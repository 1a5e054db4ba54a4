"""Staff accounts: creating users, checking passwords, and who is acting (the Principal) behind a
session or a token, read again on every request."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select

from app.extensions import db
from app.models import ROLES, Department, User

from ..errors import ConflictError, T, ValidationFailedError
from ..policy import Principal
from ..transaction import transaction
from .passwords import password_problems

_hasher = PasswordHasher()


def create_user(
    username: str,
    roles: list[str],
    department: str | None = None,
    password: str | None = None,
    display_name: str | None = None,
) -> User:
    """Add a user with roles (see ROLES) and an optional department code; the password must pass the policy
    (people/passwords.py). Without a password the account can only use API tokens."""
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
        raise ValidationFailedError(T('invalid user'), errors)
    with transaction(on_duplicate=f"user {username} exists already"):
        if db.session.scalar(select(User.id).where(User.username == username)):
            raise ConflictError(T('user %(username)s exists already', username=username))
        user = User(
            username=username,
            display_name=display_name or username,
            roles_text=",".join(sorted(set(roles))),
            department_id=dept.id if dept else None,
            password_hash=_hasher.hash(password) if password else None,
        )
        db.session.add(user)
    return user


def password_hash(password: str) -> str:
    """The stored form of a password (argon2)."""
    return _hasher.hash(password)


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


def principal_from_row(row) -> Principal | None:
    """A Principal from a row of PRINCIPAL (None for no row)."""
    if row is None:
        return None
    return Principal(row.id, row.username, frozenset(r for r in row.roles.split(",") if r), row.department_id, row.code,
                     row.display_name, row.department_name)


_users, _departments = User.__table__, Department.__table__
# The one "may this user act" check: tokens, passwords and sessions all use it.
ACTIVE_USER = _users.c.active.is_(True)
# What a Principal is read from (tokens.py joins the token to it).
PRINCIPAL = (
    select(_users.c.id, _users.c.username, _users.c.roles, _users.c.department_id, _departments.c.code,
           _users.c.display_name, _departments.c.name.label("department_name"))
    .outerjoin(_departments, _departments.c.id == _users.c.department_id)
)


def principal_of(user: User) -> Principal:
    department = user.department
    return Principal(user.id, user.username, user.roles, user.department_id, department.code if department else None,
                     user.display_name, department.name if department else None)
