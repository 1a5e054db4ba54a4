"""Departments: the units cases are routed to and staff belong to."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import Department

from .. import reference
from ..errors import ConflictError, T, ValidationFailedError
from ..transaction import transaction


def create_department(code: str, name: str) -> Department:
    """Add a department; ConflictError when the code is taken."""
    code = code.strip().upper()
    if not code or not code.replace("_", "").replace("-", "").isalnum() or len(code) > 32:
        raise ValidationFailedError(T('invalid department code'), {"code": [T('letters, digits, - and _; at most 32')]})
    if not name.strip():
        raise ValidationFailedError(T('invalid department name'), {"name": [T('must not be blank')]})
    with transaction():
        if db.session.scalar(select(Department).where(Department.code == code)):
            raise ConflictError(T('department %(code)s exists already', code=code))
        department = Department(code=code, name=name.strip())
        db.session.add(department)
    reference.forget()
    return department
