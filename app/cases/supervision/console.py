"""The supervisor console's reads: late, soon-due, at-risk, stalled and unclaimed work, and workload.

Supervisors, leaders and admins see every open task (a supervisor with a department: that department's);
the views are ranges of partial indexes on open tasks (stalled: on open cases), sorted by lateness (the
most overdue first), read a page at a time as in task_lists.py, with counts capped at COUNT_CAP + 1.
Workload lives in workload.py.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

from flask import current_app
from sqlalchemy import String, bindparam, select

from app.calendar import working_days_between
from app.extensions import db
from app.models import Case, Task, utcnow
from app.models.types import UTCDateTime

from .. import errors, policy
from ..errors import T
from ..lists import task_lists
from ..lists.queries import Page
from ..lists.task_lists import ALL_OPEN, Branch, assignee_branch, count_of, task_page
from ..policy import Principal, supervision_scope
from ..reference import work_calendar, zone
from ..sql import AT_RISK, OPEN_TASK, in_department
from .stalled import stalled_count_of, stalled_page
from .workload import workload_rows

VIEWS = ("overdue", "due_today", "due_tomorrow", "due_this_week", "at_risk", "stalled", "unassigned", "all")


@dataclass(frozen=True)
class Filters:
    department: str | None = None
    handler: str | None = None
    category: str | None = None
    channel: str | None = None


@dataclass(frozen=True)
class Moments:
    """The instants the views compare with: datetimes, or (in the cached counts statement) parameters."""

    now: Any
    end_today: Any
    end_tomorrow: Any
    end_week: Any
    unclaimed_before: Any
    stalled_before: Any


def supervised_tasks(user: Principal, view: str, filters: Filters, page: int = 1, per_page: int = 50,
                     after: str | None = None) -> tuple[Page, dict]:
    """Open tasks in one view, most overdue first, and the count of every view under the same filters.

    Each view is a range of a partial index read in its order and limited to one page (`after`: the
    keyset cursor a page handed out as `next`); counts stop at COUNT_CAP + 1 ("1,000+").
    """
    check_console(user)
    if view not in VIEWS:
        raise errors.ValidationFailedError(T('bad view'), {"view": [T('one of %(value)s', value=', '.join(VIEWS))]})
    moments = _moments(utcnow())
    filters = _scoped(user, _normalized(filters))
    if view == "stalled":
        found = stalled_page(filters, moments.stalled_before, page, per_page, after, counted=False,
                             cleared=policy.cleared(user))
    else:
        branch, conditions, sort = _view_read(view, filters, moments)
        found = task_page(user, "all", conditions, _case_conditions(filters), sort, page, per_page, after, [branch],
                          counted=False)
    counts = view_counts(filters, moments, policy.cleared(user))  # the view's own total among them
    return Page([(task, number, category) for task, number, _title, category in found.rows], counts[view], found.next), counts


def view_counts(filters: Filters, moments: Moments, cleared: bool) -> dict[str, int]:
    """How many open tasks each view holds, each up to COUNT_CAP + 1, in one statement."""
    present = tuple(getattr(filters, f.name) is not None for f in fields(Filters))
    values = {f"console_{k}": v for k, v in asdict(moments).items()}
    values.update({f"console_{k}": v for k, v in asdict(filters).items() if v is not None})
    dialect = db.session.get_bind().dialect.name
    statement = _counts_statement(present, task_lists.COUNT_CAP, dialect, cleared)
    return dict(db.session.execute(statement, values).one()._mapping)


@lru_cache(maxsize=32)
def _counts_statement(present: tuple[bool, ...], cap: int, dialect: str, cleared: bool):
    """The eight counts for filters set as in `present`, every value a parameter named console_*: built once
    per combination (count cap, which the statement holds, and clearance for confidential cases), as building it
    (a union per view) costs more than the database takes to answer it."""
    filters = Filters(*(bindparam(f"console_{f.name}", type_=String) if on else None
                        for f, on in zip(fields(Filters), present, strict=True)))
    moments = Moments(*(bindparam(f"console_{f.name}", type_=UTCDateTime) for f in fields(Moments)))
    counts = []
    for view in VIEWS:
        if view == "stalled":
            counts.append(stalled_count_of(filters, moments.stalled_before, dialect, cleared).label(view))
        else:
            branch, conditions, _sort = _view_read(view, filters, moments)
            counts.append(count_of(None, "all", [*conditions, *policy.hidden_tasks(cleared)], _case_conditions(filters),
                                   [branch]).label(view))
    return select(*counts)


def _normalized(filters: Filters) -> Filters:
    """Blank filters are no filters; a department code in capitals."""
    department = (filters.department or "").strip().upper() or None
    return Filters(department, filters.handler or None, filters.category or None, filters.channel or None)


def _scoped(user: Principal, filters: Filters) -> Filters:
    """A department-limited supervisor sees their department; asking for another is refused."""
    scope = supervision_scope(user)
    if scope is None:
        return filters
    if filters.department is not None and filters.department != scope:
        raise errors.ForbiddenError(T('your supervision covers department %(scope)s only', scope=scope))
    return Filters(scope, filters.handler, filters.category, filters.channel)


def check_console(user: Principal) -> None:
    """Supervisors, leaders and admins use the console (policy action console.view)."""
    policy.require(user, "console.view")


def _case_conditions(filters: Filters) -> list:
    """Filters on the task's case (joined only when one is set); values are strings or parameters."""
    conditions = []
    if filters.department is not None:
        conditions.append(in_department(filters.department))
    if filters.category is not None:
        conditions.append(Case.category == filters.category)
    if filters.channel is not None:
        conditions.append(Case.channel == filters.channel)
    return conditions


def _moments(now: datetime) -> Moments:
    local_today = now.astimezone(zone()).date()
    end_of = lambda day: datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=zone()).astimezone(UTC)  # noqa: E731
    hours = current_app.config.get("MINYI_UNASSIGNED_HOURS", 24)
    return Moments(now=now, end_today=end_of(local_today), end_tomorrow=end_of(local_today + timedelta(days=1)),
                   end_week=end_of(local_today + timedelta(days=6 - local_today.weekday())),
                   unclaimed_before=now - timedelta(hours=hours), stalled_before=stalled_before(now))


def _view_read(view: str, filters: Filters, m: Moments) -> tuple[Branch, list, str]:
    """The branch (open tasks + the partial index read), the view's conditions and its order."""
    branch, conditions, sort = ALL_OPEN, [], "due_at"
    if view == "overdue":
        conditions = [Task.due_at < m.now]
    elif view == "due_today":
        conditions = [Task.due_at >= m.now, Task.due_at < m.end_today]
    elif view == "due_tomorrow":
        conditions = [Task.due_at >= m.end_today, Task.due_at < m.end_tomorrow]
    elif view == "due_this_week":
        conditions = [Task.due_at >= m.now, Task.due_at < m.end_week]
    elif view == "at_risk":
        branch = Branch(OPEN_TASK & AT_RISK, "ix_task_open_at_risk", None)
    elif view == "unassigned":  # longest waiting first
        branch = Branch(OPEN_TASK & Task.assignee.is_(None), "ix_task_open_unassigned", "ix_task_open_unassigned")
        conditions, sort = [Task.created_at < m.unclaimed_before], "created_at"
    if filters.handler is not None:  # one person's tasks: their own index, the view as a filter on it
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
    check_console(user)
    return workload_rows(user, by)
