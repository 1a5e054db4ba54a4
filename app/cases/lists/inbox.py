"""The staff inbox: open tasks with their case, filtered and counted in SQL (the same lists as GET /api/v1/tasks)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from sqlalchemy import String, bindparam, or_, select

from app.extensions import db
from app.models import Case, Notice, Task, utcnow
from app.models.types import UTCDateTime

from .. import policy
from ..policy import Principal
from ..reference import zone
from ..sql import AT_RISK
from . import task_lists
from .task_lists import count_of, task_page

SCOPES = ("mine", "group", "all")
CASE_NUMBER = re.compile(r"^\d{14}$")
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
    total: int  # up to COUNT_CAP + 1
    pages: int
    counts: dict[str, int]  # mine, group, overdue, at_risk: over every open task the user sees, each up to COUNT_CAP + 1
    capped: bool = False
    next: str | None = None  # keyset cursor of the next page
    noticed: frozenset[str] = frozenset()  # tasks of the page with a supervision notice awaiting a reply


def inbox(user: Principal, filters: InboxFilters, after: str | None = None) -> Inbox:
    """One page of the user's open tasks, due first (overdue on top), with the counts the inbox shows."""
    conditions, case_conditions = _filtered(filters)
    counts = _counts(user)
    plain = not conditions and not case_conditions and filters.scope in counts  # its total is one of the counts
    page = task_page(user, filters.scope, conditions, case_conditions, "due_at", filters.page, filters.per_page, after,
                     counted=not plain)
    total = counts[filters.scope] if plain else page.total
    pages = max(1, -(-total // filters.per_page))
    rows = [InboxRow(*row) for row in page.rows]
    return Inbox(rows, total, pages, counts, total > task_lists.COUNT_CAP, page.next, _noticed([r.task.id for r in rows]))


def _noticed(task_ids: list[str]) -> frozenset[str]:
    """Which of these tasks have a supervision notice nobody has answered yet (one query for the page)."""
    if not task_ids:
        return frozenset()
    return frozenset(db.session.scalars(select(Notice.task_id).where(
        Notice.task_id.in_(task_ids), Notice.replied_at.is_(None)).distinct()))


def _filtered(f: InboxFilters) -> tuple[list, list]:
    """Conditions on the task (served by the open-task indexes) and on its case (joined only when needed)."""
    conditions, case_conditions = [], []
    if f.category:
        case_conditions.append(Case.category == f.category)
    if f.sla == "overdue":
        conditions.append(Task.due_at < utcnow())  # a breach fires at due_at: overdue is due_at in the past
    elif f.sla == "at_risk":
        conditions.append(AT_RISK)
    if f.due in DUE_WINDOWS:
        conditions.append(Task.due_at < due_window_end(f.due, utcnow()))
    if f.q and f.q.strip():
        q = f.q.strip()
        if CASE_NUMBER.match(q):  # a whole case number: its unique index, not a scan
            case_conditions.append(Case.number == q)
        else:
            escaped = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            like = f"%{escaped}%"
            case_conditions.append(or_(Case.number.like(like, escape="\\"), Case.title.like(like, escape="\\"),
                                       Task.title.like(like, escape="\\")))
    return conditions, case_conditions


def due_window_end(window: str, now: datetime) -> datetime:
    """The end of today, or of this week (Sunday), in the organisation's time zone."""
    local = now.astimezone(zone())
    days = 1 if window == "today" else 7 - local.weekday()
    return local.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=days)


def _counts(user: Principal) -> dict[str, int]:
    """Each count stops at COUNT_CAP + 1: a queue of 8,000 is "1,000+", not a scan of 8,000 rows. One statement."""
    groups = sorted(user.groups)
    values = {f"inbox_group_{i}": group for i, group in enumerate(groups)}
    return dict(db.session.execute(_counts_statement(len(groups), task_lists.COUNT_CAP, policy.cleared(user)),
                                   {**values, "inbox_me": user.username, "inbox_now": utcnow()}).one()._mapping)


@lru_cache(maxsize=16)
def _counts_statement(groups: int, cap: int, cleared: bool):
    """The counts of a user in `groups` groups, their values bound by name: built once per number of groups
    (count cap, which the statement holds, and clearance for confidential cases), as building it (a union per
    count) costs more than the database takes to answer it."""
    shown = policy.hidden_tasks(cleared)
    now = bindparam("inbox_now", type_=UTCDateTime)
    me = bindparam("inbox_me", type_=String)
    mine = [task_lists.assignee_branch(me)]
    queue = ([task_lists.group_branch(bindparam(f"inbox_group_{i}", type_=String)) for i in range(groups)] + mine
             + [task_lists.offer_branch(me)])
    return select(
        count_of(None, "group", shown, [], queue).label("group"),
        count_of(None, "mine", shown, [], mine).label("mine"),
        count_of(None, "group", [Task.due_at < now, *shown], [], queue).label("overdue"),
        count_of(None, "group", [AT_RISK, Task.due_at >= now, *shown], [], queue).label("at_risk"),
    )
