"""The console's stalled view: open tasks of open cases nobody acted on since a moment, least recent first.

Read from the open cases' activity index (ix_case_open_activity) in its order, a page at a time, with
a keyset cursor (last activity, case id, task id) and a count capped as in task_lists.py.
"""

from __future__ import annotations

import base64
import json
from datetime import datetime

from sqlalchemy import and_, func, or_, select, true

from app.extensions import db
from app.models import Case, Task

from .. import errors
from ..errors import T
from ..lists import task_lists
from ..lists.task_lists import TaskPage
from ..policy import NOT_CONFIDENTIAL
from ..sql import OPEN_CASE, OPEN_TASK, in_department, indexed

INDEX = "ix_case_open_activity"


def _encode(activity: datetime, case_id: int, task_id: str) -> str:
    raw = json.dumps([activity.isoformat(), case_id, task_id], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(token: str) -> tuple[datetime, int, str]:
    try:
        activity, case_id, task_id = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        return datetime.fromisoformat(activity), int(case_id), str(task_id)[:36]
    except (ValueError, TypeError) as exc:
        raise errors.ValidationFailedError(T('bad cursor'), {"after": [T('Not a cursor this list handed out.')]}) from exc


def _stalled(filters, before: datetime, columns: list, cleared: bool):
    stmt = (select(*columns).select_from(Case).join(Task, Task.case_id == Case.id)
            .where(OPEN_CASE, Case.last_activity_at < before, OPEN_TASK))
    if not cleared:
        stmt = stmt.where(NOT_CONFIDENTIAL)
    if filters.department is not None:  # values: strings, or parameters (the console's cached counts)
        stmt = stmt.where(in_department(filters.department))
    if filters.handler is not None:
        stmt = stmt.where(Task.assignee == filters.handler)
    if filters.category is not None:
        stmt = stmt.where(Case.category == filters.category)
    if filters.channel is not None:
        stmt = stmt.where(Case.channel == filters.channel)
    return indexed(indexed(stmt, Case, INDEX), Task, "ix_task_open_case")


def stalled_page(filters, before: datetime, page: int = 1, per_page: int = 50, after: str | None = None,
                 counted: bool = True, cleared: bool = False) -> TaskPage:
    """One page of stalled work (the case that waited longest first) and its capped count (0 if not `counted`);
    confidential cases only for a user `cleared` for them."""
    # keys first, from the two indexes alone (an index-only read); the rows of the page after
    stmt = _stalled(filters, before, [Case.last_activity_at, Case.id, Task.id], cleared)
    offset = (page - 1) * per_page
    if after:
        activity, case_id, task_id = _decode(after)
        stmt = stmt.where(or_(Case.last_activity_at > activity,
                              and_(Case.last_activity_at == activity, Case.id > case_id),
                              and_(Case.last_activity_at == activity, Case.id == case_id, Task.id > task_id)))
        offset = 0
    rows = db.session.execute(stmt.order_by(Case.last_activity_at, Case.id, Task.id)
                              .offset(offset).limit(per_page + 1)).all()
    more, rows = len(rows) > per_page, rows[:per_page]
    nxt = _encode(*rows[-1]) if rows and more else None
    total = stalled_count(filters, before, cleared) if counted else 0
    return TaskPage(task_lists.rows_of([r[2] for r in rows]), total, total > task_lists.COUNT_CAP, nxt)


def stalled_count(filters, before: datetime, cleared: bool = False) -> int:
    """Stalled open tasks, counted up to COUNT_CAP + 1."""
    return db.session.scalar(select(stalled_count_of(filters, before, db.session.get_bind().dialect.name, cleared))) or 0


def stalled_count_of(filters, before: datetime, dialect: str = "sqlite", cleared: bool = False):
    """`stalled_count` as a scalar subquery (the console sends all its counts in one statement).

    On PostgreSQL the open tasks are looked up per stalled case (a LATERAL subquery with a LIMIT, which the
    planner cannot flatten into a join): it stops after COUNT_CAP + 1 tasks, where a hash join of the two
    indexes first reads every stalled case (16,000 of them at a million cases, 5-8 ms instead of 2).
    SQLite joins in nested loops anyway, and has no LATERAL.
    """
    cap = task_lists.COUNT_CAP + 1
    if dialect != "postgresql":
        limited = _stalled(filters, before, [Task.id], cleared).limit(cap).subquery()
        return select(func.count()).select_from(limited).scalar_subquery()
    tasks = select(Task.id).where(Task.case_id == Case.id, OPEN_TASK)
    if filters.department is not None:
        tasks = tasks.where(in_department(filters.department))
    if filters.handler is not None:
        tasks = tasks.where(Task.assignee == filters.handler)
    tasks = tasks.limit(cap).lateral()
    stmt = select(tasks.c.id).select_from(Case).join(tasks, true()).where(OPEN_CASE, Case.last_activity_at < before)
    if not cleared:
        stmt = stmt.where(NOT_CONFIDENTIAL)
    if filters.category is not None:
        stmt = stmt.where(Case.category == filters.category)
    if filters.channel is not None:
        stmt = stmt.where(Case.channel == filters.channel)
    return select(func.count()).select_from(stmt.limit(cap).subquery()).scalar_subquery()
