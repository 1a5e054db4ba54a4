"""The supervisor console's reads: late, soon-due, at-risk, stalled and unclaimed work, and workload.

Supervisors, leaders and admins see every open task (a supervisor with a department: that department's);
the views are ranges of partial indexes on open tasks (stalled: on open cases), sorted by lateness (the
most overdue first), read a page at a time as in task_lists.py, with counts capped at COUNT_CAP + 1.
Workload lives in workload.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import or_, select

from app.calendar import working_days_between
from app.extensions import db
from app.models import Case, Department, Task, utcnow

from . import errors
from .access import supervision_scope
from .calendar import work_calendar, zone
from .people import Principal
from .plans import AT_RISK, OPEN_TASK
from .queries import Page
from .stalled import stalled_count_of, stalled_page
from .task_lists import ALL_OPEN, Branch, assignee_branch, count_of, task_page
from .workload import workload_rows

VIEWS = ("overdue", "due_today", "due_tomorrow", "due_this_week", "at_risk", "stalled", "unassigned", "all")
OVERSEERS = ("supervisor", "leader", "admin")


@dataclass(frozen=True)
class Filters:
    department: str | None = None
    handler: str | None = None
    category: str | None = None
    channel: str | None = None


def supervised_tasks(user: Principal, view: str, filters: Filters, page: int = 1, per_page: int = 50,
                     after: str | None = None) -> tuple[Page, dict]:
    """Open tasks in one view, most overdue first, and the count of every view under the same filters.

    Each view is a range of a partial index read in its order and limited to one page (`after`: the
    keyset cursor a page handed out as `next`); counts stop at COUNT_CAP + 1 ("1,000+").
    """
    _check(user)
    if view not in VIEWS:
        raise errors.ValidationFailedError("bad view", {"view": [f"one of {', '.join(VIEWS)}"]})
    now = utcnow()
    filters = _scoped(user, filters)
    if view == "stalled":
        found = stalled_page(filters, stalled_before(now), page, per_page, after, counted=False)
    else:
        branch, conditions, sort = _view_read(view, filters, now)
        found = task_page(user, "all", conditions, _case_conditions(filters), sort, page, per_page, after, [branch],
                          counted=False)
    counts = view_counts(filters, now)  # the view's own total among them
    return Page([(task, number, category) for task, number, _title, category in found.rows], counts[view], found.next), counts


def view_counts(filters: Filters, now: datetime) -> dict[str, int]:
    """How many open tasks each view holds, each up to COUNT_CAP + 1, in one statement."""
    counts = []
    for view in VIEWS:
        if view == "stalled":
            counts.append(stalled_count_of(filters, stalled_before(now)).label(view))
        else:
            branch, conditions, _sort = _view_read(view, filters, now)
            counts.append(count_of(None, "all", conditions, _case_conditions(filters), [branch]).label(view))
    return dict(db.session.execute(select(*counts)).one()._mapping)


def _scoped(user: Principal, filters: Filters) -> Filters:
    """A department-limited supervisor sees their department; asking for another is refused."""
    scope = supervision_scope(user)
    if scope is None:
        return filters
    if filters.department and filters.department.strip().upper() != scope:
        raise errors.ForbiddenError(f"your supervision covers department {scope} only")
    return Filters(scope, filters.handler, filters.category, filters.channel)


def _check(user: Principal) -> None:
    if not user.has_role(*OVERSEERS):
        raise errors.ForbiddenError("only supervisors, leaders and admins use the console")


def _case_conditions(filters: Filters) -> list:
    """Filters on the task's case (joined only when one is set)."""
    conditions = []
    if filters.department:
        code = filters.department.strip().upper()
        conditions.append(or_(Task.group.like(f"%@{code}"),
                              Case.department_id == select(Department.id).where(Department.code == code).scalar_subquery()))
    if filters.category:
        conditions.append(Case.category == filters.category)
    if filters.channel:
        conditions.append(Case.channel == filters.channel)
    return conditions


def _view_read(view: str, filters: Filters, now: datetime) -> tuple[Branch, list, str]:
    """The branch (open tasks + the partial index read), the view's conditions and its order."""
    local_today = now.astimezone(zone()).date()
    end_of = lambda day: datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=zone()).astimezone(UTC)  # noqa: E731
    branch, conditions, sort = ALL_OPEN, [], "due_at"
    if view == "overdue":
        conditions = [Task.due_at < now]
    elif view == "due_today":
        conditions = [Task.due_at >= now, Task.due_at < end_of(local_today)]
    elif view == "due_tomorrow":
        conditions = [Task.due_at >= end_of(local_today), Task.due_at < end_of(local_today + timedelta(days=1))]
    elif view == "due_this_week":
        sunday = local_today + timedelta(days=6 - local_today.weekday())
        conditions = [Task.due_at >= now, Task.due_at < end_of(sunday)]
    elif view == "at_risk":
        branch = Branch(OPEN_TASK & AT_RISK, "ix_task_open_at_risk", None)
    elif view == "unassigned":  # longest waiting first
        hours = current_app.config.get("MINYI_UNASSIGNED_HOURS", 24)
        branch = Branch(OPEN_TASK & Task.assignee.is_(None), "ix_task_open_unassigned", "ix_task_open_unassigned")
        conditions, sort = [Task.created_at < now - timedelta(hours=hours)], "created_at"
    if filters.handler:  # one person's tasks: their own index, the view as a filter on it
        extra = [] if branch is ALL_OPEN else [branch.condition]
        branch, conditions = assignee_branch(filters.handler), [*extra, *conditions]
    return branch, conditions, sort


def stalled_before(now: datetime) -> datetime:
    """The moment MINYI_STALLED_WORKING_DAYS working days before now (same time of day)."""
    days = current_app.config.get("MINYI_STALLED_WORKING_DAYS", 5)
    moment, counted = now, 0
    while counted < days:
        earlier = moment - timedelta(days=1)
        counted += working_days_between(earlier, moment, zone(), work_calendar())
        moment = earlier
    return moment


def workload(user: Principal, by: str) -> list[dict]:
    """Open, overdue and at-risk counts and the oldest open task, per handler or per department (workload.py)."""
    _check(user)
    return workload_rows(user, by)
