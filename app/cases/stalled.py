"""The console's stalled view: open tasks of open cases nobody acted on since a moment, least recent first.

Read from the open cases' activity index (ix_case_open_activity) in its order, a page at a time, with
a keyset cursor (last activity, case id, task id) and a count capped as in task_lists.py.
"""

from __future__ import annotations

import base64
import json
from datetime import datetime

from sqlalchemy import and_, func, or_, select

from app.extensions import db
from app.models import Case, Department, Task

from . import errors, task_lists
from .plans import OPEN_CASE, OPEN_TASK, indexed
from .task_lists import TaskPage

INDEX = "ix_case_open_activity"


def _encode(activity: datetime, case_id: int, task_id: str) -> str:
    raw = json.dumps([activity.isoformat(), case_id, task_id], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(token: str) -> tuple[datetime, int, str]:
    try:
        activity, case_id, task_id = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        return datetime.fromisoformat(activity), int(case_id), str(task_id)[:36]
    except (ValueError, TypeError) as exc:
        raise errors.ValidationFailedError("bad cursor", {"after": ["Not a cursor this list handed out."]}) from exc


def _stalled(filters, before: datetime, columns: list):
    stmt = (select(*columns).select_from(Case).join(Task, Task.case_id == Case.id)
            .where(OPEN_CASE, Case.last_activity_at < before, OPEN_TASK))
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
    return indexed(indexed(stmt, Case, INDEX), Task, "ix_task_open_case")


def stalled_page(filters, before: datetime, page: int = 1, per_page: int = 50, after: str | None = None,
                 counted: bool = True) -> TaskPage:
    """One page of stalled work (the case that waited longest first) and its capped count (0 if not `counted`)."""
    # keys first, from the two indexes alone (an index-only read); the rows of the page after
    stmt = _stalled(filters, before, [Case.last_activity_at, Case.id, Task.id])
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
    total = stalled_count(filters, before) if counted else 0
    return TaskPage(task_lists.rows_of([r[2] for r in rows]), total, total > task_lists.COUNT_CAP, nxt)


def stalled_count(filters, before: datetime) -> int:
    """Stalled open tasks, counted up to COUNT_CAP + 1."""
    return db.session.scalar(select(stalled_count_of(filters, before))) or 0


def stalled_count_of(filters, before: datetime):
    """`stalled_count` as a scalar subquery (the console sends all its counts in one statement)."""
    limited = _stalled(filters, before, [Task.id]).limit(task_lists.COUNT_CAP + 1).subquery()
    return select(func.count()).select_from(limited).scalar_subquery()
