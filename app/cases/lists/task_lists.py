"""Open-task lists that cost the same at a million cases as at a thousand.

A list is read as a union of index-ordered scans, each limited to the rows one page needs: one scan
per group the user works for and one for their own tasks, each in two parts (tasks with a due time in
due order, then tasks without one in creation order), so every part is a range of a partial index on
open tasks (migration 0015); the few tasks offered to the user by name are read through their offers. The
page is the first rows of the merged scans; the next page starts after the last row shown (a keyset cursor,
stable while tasks are added and removed), and offset pages still work. Counts stop at COUNT_CAP ("1,000+"):
an exact count of a large queue costs a full scan.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, false, func, literal, or_, select, union_all

from app.extensions import db
from app.models import Case, Task, TaskOffer

from .. import errors, policy
from ..errors import T
from ..policy import Principal
from ..sql import OPEN_TASK, indexed

COUNT_CAP = 1000
SORTS = ("due_at", "created_at")


@dataclass(frozen=True)
class Cursor:
    """Where a page ended: (no due time?, due time, created, id) of its last row."""

    undated: bool
    due_at: datetime | None
    created_at: datetime
    id: str

    def encode(self) -> str:
        raw = json.dumps([int(self.undated), self.due_at.isoformat() if self.due_at else None,
                          self.created_at.isoformat(), self.id], separators=(",", ":"))
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, token: str) -> Cursor:
        try:
            undated, due, created, task_id = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
            return cls(bool(undated), datetime.fromisoformat(due) if due else None, datetime.fromisoformat(created),
                       str(task_id)[:36])
        except (ValueError, TypeError) as exc:
            raise errors.ValidationFailedError(T('bad cursor'), {"after": [T('Not a cursor this list handed out.')]}) from exc


@dataclass(frozen=True)
class TaskPage:
    rows: list  # (Task, case number, case title, category)
    total: int  # capped at COUNT_CAP + 1
    capped: bool
    next: str | None


@dataclass(frozen=True)
class Branch:
    """A condition on open tasks and the partial indexes that read it in due order and in creation order."""

    condition: object
    due_index: str
    created_index: str | None  # None: no index gives this order; the planner chooses


def group_branch(group: str) -> Branch:
    return Branch(OPEN_TASK & (Task.group == group), "ix_task_open_group_due", "ix_task_open_group_created")


def assignee_branch(username: str) -> Branch:
    return Branch(OPEN_TASK & (Task.assignee == username), "ix_task_open_assignee_due", "ix_task_open_assignee_created")


# The task table's primary key on SQLite (a text key's automatic index): the offers' task ids are looked up by it,
# where the planner would otherwise walk an open-task index (all undated open tasks) checking each against them.
TASK_BY_ID = "sqlite_autoindex_task_1"


def offer_branch(username) -> Branch:
    """The open tasks offered to the user by name: their offers (as few as their open work: the housekeeping removes
    those of closed tasks), each task looked up by its id."""
    return Branch(OPEN_TASK & Task.id.in_(select(TaskOffer.task_id).where(TaskOffer.username == username)),
                  TASK_BY_ID, TASK_BY_ID)


ALL_OPEN = Branch(OPEN_TASK, "ix_task_open_due", None)


def branches(user: Principal, scope: str) -> list[Branch]:
    """The index-served parts of a scope: each a condition on open tasks (one per group, one for the user)."""
    if scope == "mine":
        return [assignee_branch(user.username)]
    if scope == "group":
        return ([group_branch(group) for group in sorted(user.groups)] + [assignee_branch(user.username)]
                + [offer_branch(user.username)])
    if scope == "all":
        policy.require(user, "task.list_all")
        return [ALL_OPEN]
    raise errors.ValidationFailedError(T('bad scope'), {"scope": [T('one of mine, group, all')]})


def task_page(user: Principal, scope: str, conditions: list, case_conditions: list, sort: str = "due_at",
              page: int = 1, per_page: int = 25, after: str | None = None, parts_of: list[Branch] | None = None,
              counted: bool = True) -> TaskPage:
    """One page of open tasks in `scope` matching `conditions` (on Task) and `case_conditions` (on Case).

    `parts_of` replaces the scope's branches (the supervisor console reads its own index per view);
    `counted=False` leaves the total at 0 for a caller that counts it with others in one statement.
    """
    conditions = [*conditions, *policy.hidden_tasks(policy.cleared(user))]
    cursor = Cursor.decode(after) if after else None
    offset = 0 if cursor else (page - 1) * per_page
    want = offset + per_page + 1
    parts = []
    chosen = parts_of if parts_of is not None else branches(user, scope)
    for branch in chosen:
        for undated in ((False, True) if sort == "due_at" else (None,)):
            parts.append(_part(branch, conditions, case_conditions, sort, undated, cursor, want))
    merged = union_all(*parts).subquery()
    order = _order(merged.c, sort)
    ids = db.session.execute(
        select(merged.c.id, merged.c.undated, merged.c.due_at, merged.c.created_at).distinct()
        .order_by(*order).offset(offset).limit(per_page + 1)
    ).all()
    more, ids = len(ids) > per_page, ids[:per_page]
    rows = rows_of([r.id for r in ids])
    last = ids[-1] if ids and more else None
    nxt = Cursor(bool(last.undated), last.due_at, last.created_at, last.id).encode() if last is not None else None
    total = (db.session.scalar(select(count_of(user, scope, conditions, case_conditions, chosen))) or 0) if counted else 0
    return TaskPage(rows, total, total > COUNT_CAP, nxt)


def _part(branch: Branch, conditions, case_conditions, sort, undated, cursor, want):
    columns = [Task.id, literal(1 if undated else 0).label("undated"), Task.due_at, Task.created_at]
    index = branch.created_index if undated is None else branch.due_index  # undated: due_at IS NULL, then creation
    stmt = indexed(select(*columns).where(branch.condition, *conditions), Task, index)
    if case_conditions:
        stmt = stmt.join(Case, Case.id == Task.case_id).where(*case_conditions)
    if undated is None:  # creation order
        if cursor:
            stmt = stmt.where(or_(Task.created_at > cursor.created_at,
                                  and_(Task.created_at == cursor.created_at, Task.id > cursor.id)))
        return select(stmt.order_by(Task.created_at, Task.id).limit(want).subquery())
    if undated:
        stmt = stmt.where(Task.due_at.is_(None))
        if cursor and cursor.undated:
            stmt = stmt.where(or_(Task.created_at > cursor.created_at,
                                  and_(Task.created_at == cursor.created_at, Task.id > cursor.id)))
        return select(stmt.order_by(Task.created_at, Task.id).limit(want).subquery())
    stmt = stmt.where(Task.due_at.is_not(None))
    if cursor and cursor.undated:
        stmt = stmt.where(false())  # the page before already reached the tasks without a due time
    elif cursor:
        stmt = stmt.where(or_(Task.due_at > cursor.due_at,
                              and_(Task.due_at == cursor.due_at, Task.created_at > cursor.created_at),
                              and_(Task.due_at == cursor.due_at, Task.created_at == cursor.created_at, Task.id > cursor.id)))
    return select(stmt.order_by(Task.due_at, Task.created_at, Task.id).limit(want).subquery())


def _order(c, sort):
    if sort == "due_at":
        return (c.undated, c.due_at, c.created_at, c.id)
    return (c.created_at, c.id)


def rows_of(ids: list[str]) -> list:
    """(Task, case number, title, category) of these task ids, in their order."""
    if not ids:
        return []
    found = {row[0].id: row for row in db.session.execute(
        select(Task, Case.number, Case.title, Case.category).join(Case, Case.id == Task.case_id).where(Task.id.in_(ids)))}
    return [tuple(found[i]) for i in ids if i in found]


def count_of(user: Principal | None, scope: str, conditions: list, case_conditions: list,
             parts_of: list[Branch] | None = None):
    """`count` as a scalar subquery, so that a page's several counts go to the database as one statement (the
    caller puts policy.hidden_tasks among the conditions, as `task_page` does)."""
    parts = []
    for branch in parts_of if parts_of is not None else branches(user, scope):
        stmt = indexed(select(Task.id).where(branch.condition, *conditions), Task, branch.due_index)
        if case_conditions:
            stmt = stmt.join(Case, Case.id == Task.case_id).where(*case_conditions)
        parts.append(stmt.limit(COUNT_CAP + 1))
    if len(parts) == 1:  # one index range: nothing to merge
        return select(func.count()).select_from(parts[0].subquery()).scalar_subquery()
    ids = union_all(*(select(p.subquery()) for p in parts)).subquery()
    limited = select(ids.c.id).distinct().limit(COUNT_CAP + 1).subquery()
    return select(func.count()).select_from(limited).scalar_subquery()
