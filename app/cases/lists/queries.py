"""Read-only listings, written for the database: filters in SQL, indexes, no N+1."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from app.extensions import db
from app.models import Case, LedgerEntry, ProcessInstance, Task, utcnow

from .. import ledger
from ..policy import Principal
from .task_lists import task_page


@dataclass(frozen=True)
class Page:
    items: list
    total: int
    next: str | None = None  # the cursor of the next page, where a list is read in keyset order


def open_tasks_of_case(case_id: int) -> list[Task]:
    return list(db.session.scalars(select(Task).where(Task.case_id == case_id, Task.state.in_(("ready", "claimed")))))


def current_instance(case_id: int) -> ProcessInstance | None:
    return db.session.scalar(
        select(ProcessInstance).where(ProcessInstance.case_id == case_id).order_by(ProcessInstance.id.desc()).limit(1)
    )


def timeline(case_id: int) -> list[ledger.Entry]:
    """The case's ledger, oldest first, as people read it (each step named)."""
    return ledger.readable(list(db.session.scalars(
        select(LedgerEntry).where(LedgerEntry.case_id == case_id).order_by(LedgerEntry.id))))


def tasks_for(
    user: Principal,
    scope: str = "group",
    category: str | None = None,
    overdue: bool = False,
    due_before: datetime | None = None,
    sort: str | None = None,
    page: int = 1,
    per_page: int = 50,
    after: str | None = None,
) -> Page:
    """Open tasks: the user's own (`mine`), their groups' (`group`), or every one (`all`, supervisors).

    Ordered by creation (default) or due time; `after` continues from a page's `next` cursor.
    """
    conditions = []
    if overdue:
        conditions.append(Task.due_at < utcnow())
    if due_before:
        conditions.append(Task.due_at < due_before)
    case_conditions = [Case.category == category] if category else []
    found = task_page(user, scope, conditions, case_conditions, sort or "created_at", page, per_page, after)
    return Page([(task, number, cat) for task, number, _title, cat in found.rows], found.total, found.next)
