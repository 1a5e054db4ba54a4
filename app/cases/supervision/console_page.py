"""What the supervisor console page shows, and its bulk reassignment with errors people can read.

Composes console.py (views, workload), notices.py (notice lists) and tasks.py (assign_tasks): the page's
list (console_overview), the panels it loads after it (console_workload, notice_list), and reassign_tasks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from app.extensions import db
from app.models import Department, Task, User, utcnow

from ..lists import task_lists
from ..policy import Principal
from .console import Filters, check_console, supervised_tasks, workload
from .notices import notices_for

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
    """The page's first view: one list of open tasks, the views' counts, the filters' choices."""

    view: str
    rows: list[ConsoleRow]
    total: int
    counts: dict[str, int]
    handlers: list[tuple[str, str]] = field(default_factory=list)  # (username, display name) of active staff
    departments: list[tuple[str, str]] = field(default_factory=list)  # (code, name)
    names: dict[str, str] = field(default_factory=dict)  # username -> display name
    now: datetime | None = None
    capped: bool = False  # the total stopped at COUNT_CAP + 1 ("1,000+")
    next: str | None = None  # more rows after this page


@dataclass(frozen=True)
class Workload:
    """Open, overdue and at-risk counts per handler and per department, each row with a label to show."""

    by_handler: list[dict]
    by_department: list[dict]


@dataclass(frozen=True)
class NoticeList:
    state: str
    notices: list  # (notice, case number, state)
    counts: dict[str, int]  # per list in NOTICE_LISTS
    names: dict[str, str]  # username -> display name


def console_overview(user: Principal, view: str, filters: Filters, page: int, per_page: int) -> Console:
    """One view of open tasks (most overdue first) with the views' counts and the filters' choices.

    The workload and the notices are read apart (console_workload, notice_list): the page loads them after
    the list, so that the list a supervisor acts on does not wait for the tables below it.
    """
    check_console(user)
    now = utcnow()
    tasks, counts = supervised_tasks(user, view, filters, page, per_page)
    rows = [ConsoleRow(t, number, category, _late_by(t.due_at, now),
                       max(d for d in (t.created_at, t.claimed_at, t.reassigned_at) if d is not None))
            for t, number, category in tasks.items]
    handlers = _staff()
    departments = [(c, n) for c, n in db.session.execute(select(Department.code, Department.name).order_by(Department.code))]
    return Console(
        view=view, rows=rows, total=tasks.total, counts=counts, handlers=handlers, departments=departments,
        names=dict(handlers), now=now, capped=tasks.total > task_lists.COUNT_CAP, next=tasks.next,
    )


def console_workload(user: Principal) -> Workload:
    check_console(user)
    names = dict(_staff())
    dept_names = dict(db.session.execute(select(Department.code, Department.name)).all())
    return Workload(
        by_handler=[dict(r, label=names.get(r["name"], r["name"])) for r in workload(user, "handler")],
        by_department=[dict(r, label=dept_names.get(r["name"], r["name"])) for r in workload(user, "department")],
    )


def notice_list(user: Principal, state: str = "open") -> NoticeList:
    """The notices in one list (awaiting reply, overdue, answered), with how many each list holds."""
    check_console(user)
    if state not in NOTICE_LISTS:
        state = "open"
    notices = notices_for(user, state, 1, 100)
    counts = {s: notices.total if s == state else notices_for(user, s, 1, 1).total for s in NOTICE_LISTS}
    return NoticeList(state, notices.items, counts, dict(_staff()))


def _staff() -> list[tuple[str, str]]:
    """(username, display name) of active staff, by username."""
    return [(u, n or u) for u, n in db.session.execute(
        select(User.username, User.display_name).where(User.active.is_(True)).order_by(User.username))]


def _late_by(due_at: datetime | None, now: datetime) -> float | None:
    if due_at is None or due_at >= now:
        return None
    return (now - due_at).total_seconds() / 3600
