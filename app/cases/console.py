"""The supervisor console's reads: late, soon-due, at-risk, stalled and unclaimed work, and workload.

Supervisors, leaders and admins see every open task (a supervisor with a department: that department's);
the views are filters over open tasks joined to
their case, sorted by lateness (the most overdue first). Written for the database: one query per
page, one per count.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import and_, func, or_, select

from app.calendar import working_days_between
from app.extensions import db
from app.models import FINAL_STATUSES, OPEN_STATES, Case, Department, Task, utcnow

from . import errors
from .access import supervision_scope
from .calendar import work_calendar, zone
from .people import Principal
from .queries import Page

VIEWS = ("overdue", "due_today", "due_tomorrow", "due_this_week", "at_risk", "stalled", "unassigned", "all")
OVERSEERS = ("supervisor", "leader", "admin")


@dataclass(frozen=True)
class Filters:
    department: str | None = None
    handler: str | None = None
    category: str | None = None
    channel: str | None = None


def supervised_tasks(user: Principal, view: str, filters: Filters, page: int = 1, per_page: int = 50) -> tuple[Page, dict]:
    """Open tasks in one view, most overdue first, and the count of every view under the same filters."""
    _check(user)
    if view not in VIEWS:
        raise errors.ValidationFailedError("bad view", {"view": [f"one of {', '.join(VIEWS)}"]})
    now = utcnow()
    base = _filtered(_scoped(user, filters))
    stmt = base.where(_view_condition(view, now))
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    rows = db.session.execute(stmt.order_by(Task.due_at.is_(None), Task.due_at, Task.created_at)
                              .offset((page - 1) * per_page).limit(per_page)).all()
    counts = {name: db.session.scalar(select(func.count()).select_from(base.where(_view_condition(name, now)).subquery()))
              for name in VIEWS}
    return Page([(task, number, category) for task, number, category in rows], total), counts


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


def _filtered(filters: Filters):
    stmt = (select(Task, Case.number, Case.category).join(Case, Case.id == Task.case_id)
            .where(Task.state.in_(OPEN_STATES)))
    if filters.department:
        code = filters.department.strip().upper()
        stmt = stmt.where(or_(Task.group.like(f"%@{code}"),
                              Case.department_id == select(Department.id).where(Department.code == code).scalar_subquery()))
    if filters.handler:
        stmt = stmt.where(Task.assignee == filters.handler)
    if filters.category:
        stmt = stmt.where(Case.category == filters.category)
    if filters.channel:
        stmt = stmt.where(Case.channel == filters.channel)
    return stmt


def _view_condition(view: str, now: datetime):
    local_today = now.astimezone(zone()).date()
    end_of = lambda day: datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=zone()).astimezone(UTC)  # noqa: E731
    if view == "overdue":
        return Task.due_at < now
    if view == "due_today":
        return and_(Task.due_at >= now, Task.due_at < end_of(local_today))
    if view == "due_tomorrow":
        return and_(Task.due_at >= end_of(local_today), Task.due_at < end_of(local_today + timedelta(days=1)))
    if view == "due_this_week":
        sunday = local_today + timedelta(days=6 - local_today.weekday())
        return and_(Task.due_at >= now, Task.due_at < end_of(sunday))
    if view == "at_risk":
        return Task.sla_state == "at_risk"
    if view == "stalled":
        return and_(Case.status.not_in(sorted(FINAL_STATUSES)), Case.last_activity_at < stalled_before(now))
    if view == "unassigned":
        hours = current_app.config.get("MINYI_UNASSIGNED_HOURS", 24)
        return and_(Task.assignee.is_(None), Task.created_at < now - timedelta(hours=hours))
    return Task.id.is_not(None)  # all


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
    """Open, overdue and at-risk counts and the oldest open task, per handler (`by=handler`) or per department."""
    _check(user)
    if by not in ("handler", "department"):
        raise errors.ValidationFailedError("bad grouping", {"by": ["one of handler, department"]})
    now = utcnow()
    key = Task.assignee if by == "handler" else func.coalesce(Department.code, "-")
    stmt = (select(key.label("name"), func.count().label("open"),
                   func.count().filter(Task.due_at < now).label("overdue"),
                   func.count().filter(Task.sla_state == "at_risk").label("at_risk"),
                   func.min(Task.created_at).label("oldest"))
            .select_from(Task).join(Case, Case.id == Task.case_id).outerjoin(Department, Department.id == Case.department_id)
            .where(Task.state.in_(OPEN_STATES)))
    if by == "handler":
        stmt = stmt.where(Task.assignee.is_not(None))
    scope = supervision_scope(user)
    if scope is not None:
        stmt = stmt.where(or_(Department.code == scope, Task.group.like(f"%@{scope}")))
    rows = db.session.execute(stmt.group_by(key).order_by(func.count().filter(Task.due_at < now).desc(), key)).all()
    return [{"name": r.name, "open": r.open, "overdue": r.overdue, "at_risk": r.at_risk,
             "oldest_open_since": r.oldest.isoformat() if r.oldest else None} for r in rows]
