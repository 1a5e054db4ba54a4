"""Asking the table: may this user do this (to this case, task, notice)? -- and why not; the confidential cases'
clearance; supervision's reach; whose personal data is shown unmasked."""

from __future__ import annotations

from sqlalchemy import exists, select

from app.models import Case, CaseQueue, TaskOffer

from .. import errors
from ..errors import T
from ..sql import sql
from .rules import ADDRESSED, ANY, DEPARTMENT, DEPARTMENT_BOUND, PUBLIC_ACTIONS, QUEUE, SUPERVISED, VISIBLE, Principal, rules_of


def may(user: Principal | None, action: str, target=None) -> bool:
    """Whether `user` may perform `action` (on `target`: a case, a task, a notice; None: the action at all)."""
    if action in PUBLIC_ACTIONS:
        return True
    if user is None:
        return False
    scopes = {scope for role, scope in rules_of(action).items() if role in user.roles}
    if not scopes:
        return False
    if target is not None and _confidential(target) and not cleared(user):
        return False
    if target is None or ANY in scopes:
        return True
    return any(_in_scope(user, scope, target) for scope in scopes)


def may_everywhere(user: Principal | None, action: str) -> bool:
    """Whether one of the user's roles may do `action` to every target (not only their department's, queue's...)."""
    return user is not None and any(scope == ANY for role, scope in rules_of(action).items() if role in user.roles)


def require(user: Principal | None, action: str, target=None) -> None:
    """ForbiddenError, saying why, unless `may(user, action, target)`."""
    if may(user, action, target):
        return
    rules = rules_of(action)
    if user is None or not user.has_role(*rules):
        raise errors.ForbiddenError(T('needs one of the roles: %(value)s', value=', '.join(sorted(rules))), {"action": action})
    if target is not None and _confidential(target) and not cleared(user):
        raise errors.ForbiddenError(T('this case is confidential: only staff cleared for confidential cases may open it'),
                                    {"action": action, "confidential": True})
    scopes = {rules[r] for r in user.roles if r in rules}
    if SUPERVISED in scopes and user.department_code:
        raise errors.ForbiddenError(
            T('your supervision covers department %(department_code)s only', department_code=user.department_code), {"action": action})
    if QUEUE in scopes:
        raise errors.ForbiddenError(T('this task belongs to another group'), {"action": action})
    if ADDRESSED in scopes:
        raise errors.ForbiddenError(T('this notice is addressed to someone else'), {"action": action})
    raise errors.ForbiddenError(T('this case belongs to another department'), {"action": action})


def cleared(user: Principal | None) -> bool:
    """Whether the user may see confidential cases (within the scope of their other roles)."""
    return user is not None and bool(user.roles.intersection(rules_of("case.confidential")))


def supervision_scope(user: Principal) -> str | None:
    """The one department a supervisor's views and actions are limited to, or None for every department.

    A supervisor with a department set supervises that department only; leaders and admins, and
    supervisors without a department, supervise every department.
    """
    if user.has_role("admin", "leader") or not user.has_role("supervisor"):
        return None
    return user.department_code


def check_supervision_scope(user: Principal, department_id: int | None, group: str | None = None) -> None:
    """ForbiddenError when a department-limited supervisor acts outside their department."""
    if not _supervises(user, department_id, group):
        raise errors.ForbiddenError(T('your supervision covers department %(value)s only', value=supervision_scope(user)))


def sees_personal_data(user: Principal, case) -> bool:
    """Whether the petitioner's name, phone and address are shown unmasked to this user."""
    if user.has_role("intake", "supervisor", "leader", "admin"):
        return True
    # Department staff see the petitioner of their own department's cases only.
    # (no case: a person across cases, whom department staff see masked)
    return (user.has_role(*DEPARTMENT_BOUND) and case is not None and case.department_id is not None
            and case.department_id == user.department_id)


def may_see_case(user: Principal, case) -> bool:
    return may(user, "case.view", case)


def check_case_access(user: Principal, case):
    """The case, or ForbiddenError when the policy keeps it from this user."""
    require(user, "case.view", case)
    return case


def queue_outside_department(group: str | None, department_code: str | None) -> bool:
    """Whether a task in `group` on a case of `department_code` lets more people see the case than the department
    does: a queue of a department-bound role that is not that role at the case's department."""
    if not group:
        return False
    role, _, code = group.partition("@")
    return role in DEPARTMENT_BOUND and not (code and code == department_code)


def _in_scope(user: Principal, scope: str, target) -> bool:
    if scope == VISIBLE:
        case_id, department_id = _case_of(target)
        return (department_id is not None and department_id == user.department_id) or _in_my_queues(user, case_id)
    if scope == DEPARTMENT:
        _case_id, department_id = _case_of(target)
        return user.department_id is not None and department_id == user.department_id
    if scope == SUPERVISED:
        _case_id, department_id = _case_of(target)
        return _supervises(user, department_id, getattr(target, "group", None))
    if scope == QUEUE:
        return (target.group in user.groups or (target.assignee is not None and target.assignee == user.username)
                or _offered(user, target))
    if scope == ADDRESSED:
        return target.addressee_user == user.username or target.addressee_group in user.groups
    return False


def confidential_case_of(target) -> int | None:
    """The id of the confidential case the target is, or belongs to (a task, notice, attachment); None if not."""
    if isinstance(target, Case) or hasattr(target, "number"):
        return target.id if target.confidential else None
    case_id = getattr(target, "case_id", None)
    if case_id is None:
        return None
    return case_id if sql(select(Case.confidential).where(Case.id == case_id)).scalar() else None


def _confidential(target) -> bool:
    return confidential_case_of(target) is not None


def _case_of(target) -> tuple[int | None, int | None]:
    """(case id, department id) of a case, or of the case a task or notice belongs to."""
    if isinstance(target, Case) or hasattr(target, "number"):
        return target.id, target.department_id
    case_id = target.case_id
    return case_id, sql(select(Case.department_id).where(Case.id == case_id)).scalar()


def _supervises(user: Principal, department_id: int | None, group: str | None) -> bool:
    scope = supervision_scope(user)
    if scope is None:
        return True
    if user.department_id is not None and department_id == user.department_id:
        return True
    return group is not None and group.endswith(f"@{scope}")


def _offered(user: Principal, task) -> bool:
    """The task is offered to the user by name (its diagram's candidate users)."""
    task_id = getattr(task, "id", None)
    if task_id is None:
        return False
    return bool(sql(select(exists().where(TaskOffer.task_id == task_id, TaskOffer.username == user.username))).scalar())


def _in_my_queues(user: Principal, case_id: int | None) -> bool:
    if case_id is None:
        return False
    return bool(sql(select(exists().where(CaseQueue.case_id == case_id, CaseQueue.queue.in_(user.queues)))).scalar())
