"""The staff inbox: open tasks with their case, filtered and counted in SQL (the same rows as GET /api/v1/tasks)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case as when
from sqlalchemy import func, or_, select

from app.extensions import db
from app.models import OPEN_STATES, Case, Task, utcnow

from . import errors
from .calendar import zone
from .people import Principal

SCOPES = ("mine", "group", "all")
DUE_WINDOWS = ("today", "week")


@dataclass(frozen=True)
class InboxFilters:
    scope: str = "group"
    category: str | None = None
    sla: str | None = None  # 'overdue' or 'at_risk'
    due: str | None = None  # 'today' or 'week'
    q: str | None = None
    page: int = 1
    per_page: int = 25


@dataclass(frozen=True)
class InboxRow:
    task: Task
    case_number: str
    case_title: str
    category: str


@dataclass(frozen=True)
class Inbox:
    rows: list[InboxRow]
    total: int
    pages: int
    counts: dict[str, int]  # mine, group, overdue, at_risk: over every open task the user sees in this scope


def inbox(user: Principal, filters: InboxFilters) -> Inbox:
    """One page of the user's open tasks, due first (overdue on top), with the counts the inbox shows."""
    visible = visible_tasks(user, filters.scope)
    stmt = select(Task, Case.number, Case.title, Case.category).join(Case, Case.id == Task.case_id).where(visible)
    stmt = _filtered(stmt, filters)
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    order = (Task.due_at.is_(None), Task.due_at, Task.created_at, Task.id)
    rows = db.session.execute(stmt.order_by(*order).offset((filters.page - 1) * filters.per_page).limit(filters.per_page))
    return Inbox([InboxRow(*row) for row in rows], total, max(1, -(-total // filters.per_page)), _counts(user))


def visible_tasks(user: Principal, scope: str):
    """The open tasks a scope shows: the user's own (`mine`), their groups' and their own (`group`), every one
    (`all`, supervisors and admins). The API's task list and the inbox page share it."""
    if scope == "mine":
        return Task.state.in_(OPEN_STATES) & (Task.assignee == user.username)
    if scope == "group":
        # Two index searches (state+group, assignee+state) rather than one OR: without planner statistics SQLite
        # answers the OR by walking every open task (seconds at 100,000 cases; benchmarks/inbox.py).
        return Task.id.in_(select(Task.id).where(Task.state.in_(OPEN_STATES), Task.group.in_(sorted(user.groups)))
                           .union_all(select(Task.id).where(Task.assignee == user.username, Task.state.in_(OPEN_STATES))))
    if scope == "all" and user.has_role("supervisor", "admin"):
        return Task.state.in_(OPEN_STATES)
    if scope == "all":
        raise errors.ForbiddenError("only supervisors see all tasks")
    raise errors.ValidationFailedError("bad scope", {"scope": ["one of mine, group, all"]})


def _filtered(stmt, f: InboxFilters):
    if f.category:
        stmt = stmt.where(Case.category == f.category)
    if f.sla == "overdue":
        stmt = stmt.where(or_(Task.sla_state == "overdue", Task.due_at < utcnow()))
    elif f.sla == "at_risk":
        stmt = stmt.where(Task.sla_state == "at_risk")
    if f.due in DUE_WINDOWS:
        stmt = stmt.where(Task.due_at < due_window_end(f.due, utcnow()))
    if f.q and f.q.strip():
        escaped = f.q.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        like = f"%{escaped}%"
        stmt = stmt.where(or_(Case.number.like(like, escape="\\"), Case.title.like(like, escape="\\"),
                              Task.title.like(like, escape="\\")))
    return stmt


def due_window_end(window: str, now: datetime) -> datetime:
    """The end of today, or of this week (Sunday), in the organisation's time zone."""
    local = now.astimezone(zone())
    days = 1 if window == "today" else 7 - local.weekday()
    return local.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=days)


def _counts(user: Principal) -> dict[str, int]:
    now = utcnow()
    overdue = or_(Task.sla_state == "overdue", Task.due_at < now)
    row = db.session.execute(select(
        func.count(),
        func.sum(when((Task.assignee == user.username, 1), else_=0)),
        func.sum(when((overdue, 1), else_=0)),
        func.sum(when(((Task.sla_state == "at_risk") & ~overdue, 1), else_=0)),
    ).where(visible_tasks(user, "group"))).one()
    return {"group": row[0] or 0, "mine": row[1] or 0, "overdue": row[2] or 0, "at_risk": row[3] or 0}
