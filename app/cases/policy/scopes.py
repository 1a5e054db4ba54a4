"""The policy as SQL: the cases a user may list (a condition on Case, applied by every list query), and the tasks of
confidential cases kept from users not cleared for them."""

from __future__ import annotations

from sqlalchemy import and_, false, or_, select

from app.models import Case, CaseQueue, Task

from .checks import cleared
from .rules import ANY, Principal, rules_of


def case_scope(user: Principal, action: str = "case.list"):
    """The cases `user` may list, as a condition on Case (None: every case), for list queries."""
    parts = case_scope_parts(user, action)
    if parts is None:
        return None
    return or_(*parts) if parts else false()


def case_scope_parts(user: Principal, action: str = "case.list") -> list | None:
    """`case_scope` as the conditions it ORs (their department's cases; the cases their queues held), for a query
    that searches each apart: None for every case, [] for none. Confidential cases only for the cleared."""
    scopes = {scope for role, scope in rules_of(action).items() if role in user.roles}
    if not scopes:
        return []
    shown = cleared(user)
    if ANY in scopes:
        return None if shown else [NOT_CONFIDENTIAL]
    return _visible_parts(user) if shown else [and_(part, NOT_CONFIDENTIAL) for part in _visible_parts(user)]


# A case that is not confidential (exports and disclosure apply it for everyone), and an open task's case that is
# confidential (the open-task indexes hold case_id, and the confidential few are indexed apart).
NOT_CONFIDENTIAL = Case.confidential == false()
_SECRET = Case.__table__.alias("secret_case")  # apart from the Case a task list may join for its filters
# NOT IN, not NOT EXISTS: PostgreSQL hashes the few confidential ids once per statement (a subplan over their
# partial index) where an anti-join costs each of a list's many branches its own join planning
TASK_NOT_CONFIDENTIAL = Task.case_id.not_in(select(_SECRET.c.id).where(_SECRET.c.confidential))


def hidden_tasks(user_cleared: bool) -> list:
    """Conditions on Task keeping the tasks of confidential cases from a user not cleared for them ([] if cleared)."""
    return [] if user_cleared else [TASK_NOT_CONFIDENTIAL]


def _visible_parts(user: Principal) -> list:
    in_queues = Case.id.in_(select(CaseQueue.case_id).where(CaseQueue.queue.in_(user.queues)))
    if user.department_id is None:
        return [in_queues]
    return [Case.department_id == user.department_id, in_queues]
