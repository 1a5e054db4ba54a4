"""What the supervisor console page shows in one call, and its bulk reassignment with errors people can read.

Composes console.py (views, workload), notices.py (notice lists) and tasks.py (assign_tasks); the page
calls these two functions only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from app.extensions import db
from app.models import OPEN_STATES, Case, Department, Task, User, utcnow

from . import errors, task_lists
from .console import Filters, _check, supervised_tasks, workload
from .notices import notices_for
from .people import Principal
from .tasks import assign_tasks

NOTICE_LISTS = ("open", "overdue", "answered")


@dataclass(frozen=True)
class ConsoleRow:
    task: Task
    case_number: str
    category: str
    late_by_hours: float | None  # hours past due (None when not late)
    waiting_since: datetime  # the latest of created, claimed, reassigned: how long it has sat with whoever holds it


@dataclass
class Console:
    view: str
    rows: list[ConsoleRow]
    total: int
    counts: dict[str, int]
    by_handler: list[dict] = field(default_factory=list)
    by_department: list[dict] = field(default_factory=list)
    notices: list = field(default_factory=list)  # (notice, case number, state)
    notice_counts: dict[str, int] = field(default_factory=dict)
    handlers: list[tuple[str, str]] = field(default_factory=list)  # (username, display name) of active staff
    departments: list[tuple[str, str]] = field(default_factory=list)  # (code, name)
    names: dict[str, str] = field(default_factory=dict)  # username -> display name
    now: datetime | None = None
    capped: bool = False  # the total stopped at COUNT_CAP + 1 ("1,000+")
    next: str | None = None  # more rows after this page


def console_overview(user: Principal, view: str, filters: Filters, page: int, per_page: int,
                     notice_state: str = "open") -> Console:
    """One view of open tasks (most overdue first), the workload tables, a list of notices and the filters' choices."""
    _check(user)
    if notice_state not in NOTICE_LISTS:
        notice_state = "open"
    now = utcnow()
    tasks, counts = supervised_tasks(user, view, filters, page, per_page)
    rows = [ConsoleRow(t, number, category, _late_by(t.due_at, now),
                       max(d for d in (t.created_at, t.claimed_at, t.reassigned_at) if d is not None))
            for t, number, category in tasks.items]
    notices = notices_for(user, notice_state, 1, 100)
    handlers = [(u, n or u) for u, n in db.session.execute(
        select(User.username, User.display_name).where(User.active.is_(True)).order_by(User.username))]
    names = dict(handlers)
    departments = [(c, n) for c, n in db.session.execute(select(Department.code, Department.name).order_by(Department.code))]
    dept_names = dict(departments)
    return Console(
        view=view, rows=rows, total=tasks.total, counts=counts,
        by_handler=[dict(r, label=names.get(r["name"], r["name"])) for r in workload(user, "handler")],
        by_department=[dict(r, label=dept_names.get(r["name"], r["name"])) for r in workload(user, "department")],
        notices=notices.items,
        notice_counts={s: notices.total if s == notice_state else notices_for(user, s, 1, 1).total for s in NOTICE_LISTS},
        handlers=handlers, departments=departments, names=names,
        now=now, capped=tasks.total > task_lists.COUNT_CAP, next=tasks.next,
    )


def _late_by(due_at: datetime | None, now: datetime) -> float | None:
    if due_at is None or due_at >= now:
        return None
    return (now - due_at).total_seconds() / 3600


def reassign_tasks(user: Principal, task_ids: list[str], to_user: str | None, to_group: str | None, reason: str) -> list[Task]:
    """assign_tasks (all or nothing); when some tasks cannot move, the error names them by case and title."""
    ids = sorted({str(t)[:36] for t in task_ids if t})
    if not ids:
        raise errors.ValidationFailedError("select at least one task", {"tasks": ["select at least one task"]})
    try:
        return assign_tasks(user, ids, to_user or None, to_group or None, reason)
    except errors.ConflictError as exc:
        stuck = _unmovable(ids)
        raise type(exc)(exc.message, {"tasks": stuck or [exc.message]}) from exc
    except errors.NotFoundError as exc:
        raise errors.ConflictError(exc.message, {"tasks": _unmovable(ids) or [exc.message]}) from exc


def _unmovable(ids: list[str]) -> list[str]:
    """'case number · task title (state)' for each selected task that is gone or no longer open."""
    found = {t.id: (t, number) for t, number in db.session.execute(
        select(Task, Case.number).join(Case, Case.id == Task.case_id).where(Task.id.in_(ids)))}
    stuck = [f"{found[i][1]} · {found[i][0].title} ({found[i][0].state})" for i in ids
             if i in found and found[i][0].state not in OPEN_STATES]
    return stuck + [i for i in ids if i not in found]
