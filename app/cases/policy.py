"""The one authorization policy for cases: who may open a case, and who sees the petitioner unmasked.

The JSON API and the staff pages both ask here, so a rule changes in one place.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import exists, or_, select

from app.extensions import db
from app.models import Case, Task

from . import errors


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


# Roles whose work spans every department: registration, supervision, leadership, analysis, process owners.
SEES_EVERY_CASE = ("intake", "supervisor", "leader", "admin", "analyst", "owner")
# Roles bound to a department: they see that department's cases, and cases with a task of theirs.
DEPARTMENT_ROLES = ("handler", "head", "mediator")
ROLES_SEEING_PERSONAL_DATA = ("intake", "handler", "head", "supervisor", "leader", "mediator", "admin")


def may_see_case(user: Principal, case: Case) -> bool:
    """Every-department roles see every case; department staff their department's cases and those with a task of theirs."""
    if user.has_role(*SEES_EVERY_CASE):
        return True
    if user.has_role(*DEPARTMENT_ROLES) and case.department_id is not None and case.department_id == user.department_id:
        return True
    return bool(db.session.scalar(select(exists().where(
        Task.case_id == case.id, or_(Task.group.in_(sorted(user.groups)), Task.assignee == user.username,
                                     Task.completed_by == user.username)))))


def check_case_access(user: Principal, case: Case) -> Case:
    """The case, or ForbiddenError when the policy keeps it from this user."""
    if not may_see_case(user, case):
        raise errors.ForbiddenError("this case belongs to another department")
    return case


def supervision_scope(user: Principal) -> str | None:
    """The one department a supervisor's actions are limited to, or None for every department.

    A supervisor with a department set supervises that department only; leaders and admins, and
    supervisors without a department, supervise every department.
    """
    if user.has_role("admin", "leader") or not user.has_role("supervisor"):
        return None
    return user.department_code


def check_supervision_scope(user: Principal, department_id: int | None, group: str | None = None) -> None:
    """ForbiddenError when a department-limited supervisor acts outside their department."""
    scope = supervision_scope(user)
    if scope is None:
        return
    if user.department_id is not None and department_id == user.department_id:
        return
    if group is not None and group.endswith(f"@{scope}"):
        return
    raise errors.ForbiddenError(f"your supervision covers department {scope} only")


def sees_personal_data(user: Principal, case: Case) -> bool:
    """Whether the petitioner's name, phone and address are shown unmasked to this user."""
    if user.has_role("intake", "supervisor", "leader", "admin"):
        return True
    # Department staff see the petitioner of their own department's cases only.
    return user.has_role("handler", "head", "mediator") and case.department_id is not None and case.department_id == user.department_id
