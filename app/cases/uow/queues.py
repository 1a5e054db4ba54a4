"""Who else may see a case: the queues outside its department that held one of its tasks (`case_queue`).

Department staff see their department's cases and the cases one of whose tasks was in one of their queues
(policy/). A case's own department implies its queues, so only the others are written: a multi-instance
child in another department, a mediator's queue, a task assigned across departments, and the old
department's queues when a case moves to another department. A task offered to several named people (its
candidate users) records each person's own queue, `user:NAME`, so that each may open the case, and no one else
of their department. Rows are kept for good: who worked on a case may always look it up again.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from app.extensions import db
from app.models import CaseQueue, Task

from ..policy import personal_queue, queue_outside_department
from ..sql import sql

_queues, _tasks = CaseQueue.__table__, Task.__table__


def remember_queues(case_id: int, groups: Iterable[str | None], department_code: str | None) -> None:
    """Record the queues among `groups` that the case's department (`department_code`) does not imply."""
    rows = [{"case_id": case_id, "queue": g} for g in sorted({g for g in groups if g})
            if queue_outside_department(g, department_code)]
    if rows:
        dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
        sql(dialect.insert(_queues).on_conflict_do_nothing(index_elements=["case_id", "queue"]), rows)


def remember_people(case_id: int, usernames: Iterable[str]) -> None:
    """Record the personal queues (`user:NAME`) of the people a task of the case was offered to."""
    rows = [{"case_id": case_id, "queue": personal_queue(name)} for name in sorted(set(usernames))]
    if rows:
        dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
        sql(dialect.insert(_queues).on_conflict_do_nothing(index_elements=["case_id", "queue"]), rows)


def remember_department_queues(case_id: int, old_code: str | None) -> None:
    """The case leaves department `old_code`: that department's queues that held its tasks keep seeing it."""
    if old_code:
        groups = sql(select(_tasks.c.group).distinct().where(
            _tasks.c.case_id == case_id, _tasks.c.group.endswith(f"@{old_code}", autoescape=True))).scalars()
        remember_queues(case_id, list(groups), None)
