"""The human-task projection: one row per user task, fed from the instance state on every save."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db

from .types import UTCDateTime, utcnow

OPEN_STATES = ("ready", "claimed")
_OPEN = text("state IN ('ready', 'claimed')")
_AT_RISK = text("state IN ('ready', 'claimed') AND sla_state = 'at_risk'")
_UNASSIGNED = text("state IN ('ready', 'claimed') AND assignee IS NULL")


class Task(db.Model):
    # Every index an open-task list reads ends with case_id: a list hides the tasks of confidential cases from staff
    # not cleared for them (policy.hidden_tasks), which needs the task's case -- in the index, the read stays
    # index-only (without it, the inbox's four counts read 1,000 heap rows each: 18 -> 28 ms at 1M cases; 0040).
    __table_args__ = (
        # Open tasks only (a few percent of the table once cases close): the lists' keyset scans (task_lists.py).
        Index("ix_task_open_group_due", "group", "due_at", "created_at", "id", "case_id",
              sqlite_where=_OPEN, postgresql_where=_OPEN),
        Index("ix_task_open_group_created", "group", "created_at", "id", "case_id",
              sqlite_where=_OPEN, postgresql_where=_OPEN),
        Index("ix_task_open_assignee_due", "assignee", "due_at", "created_at", "id", "case_id",
              sqlite_where=_OPEN, postgresql_where=_OPEN),
        Index("ix_task_open_due", "due_at", "created_at", "id", "case_id", sqlite_where=_OPEN, postgresql_where=_OPEN),
        # A person's tasks in creation order (my tasks by creation; workload's oldest open task), migration 0016.
        Index("ix_task_open_assignee_created", "assignee", "created_at", "id", "case_id",
              sqlite_where=_OPEN, postgresql_where=_OPEN),
        # The open tasks of a case (the console's stalled view joins open cases to them), migration 0016.
        Index("ix_task_open_case", "case_id", "id", sqlite_where=_OPEN, postgresql_where=_OPEN),
        # The supervisor console's at-risk and unassigned views (migration 0016): small, in their views' order.
        Index("ix_task_open_at_risk", "due_at", "created_at", "id", "case_id",
              sqlite_where=_AT_RISK, postgresql_where=_AT_RISK),
        Index("ix_task_open_unassigned", "created_at", "id", "case_id",
              sqlite_where=_UNASSIGNED, postgresql_where=_UNASSIGNED),
        # At-risk tasks per queue and per person (the inbox's at-risk count, the workload's at-risk column), 0019.
        Index("ix_task_open_at_risk_group", "group", "due_at", "case_id", sqlite_where=_AT_RISK, postgresql_where=_AT_RISK),
        Index("ix_task_open_at_risk_assignee", "assignee", "due_at", "case_id",
              sqlite_where=_AT_RISK, postgresql_where=_AT_RISK),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # the engine's task id
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), index=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(200))
    lane: Mapped[str | None] = mapped_column(String(100))
    group: Mapped[str | None] = mapped_column(String(100))
    form: Mapped[str | None] = mapped_column(String(100))
    state: Mapped[str] = mapped_column(String(20), default="ready")
    assignee: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reassigned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_by: Mapped[str | None] = mapped_column(String(64))
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sla_state: Mapped[str | None] = mapped_column(String(20))  # None, 'at_risk' or 'overdue'


class TaskOffer(db.Model):
    """A task the diagram offers to several named people (its candidate users, or spiff's lane owners) beyond its
    group: each sees it in their queue and may claim it, as if it were in a group of theirs. Rows of closed tasks
    are removed by the scheduler's housekeeping (the inbox reads only those of open tasks), so a person's offers
    stay as few as their open work."""

    __tablename__ = "task_offer"
    # A person's offers, read by their inbox; the key leads with the task (an archive moves a case's rows by it).
    __table_args__ = (Index("ix_task_offer_username", "username", "task_id"),)

    task_id: Mapped[str] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"), primary_key=True)
    username: Mapped[str] = mapped_column(String(64), primary_key=True)
