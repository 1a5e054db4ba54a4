"""Supervision notices (督办单) and incidents.

A notice is a Minyi record, not a BPMN task: raised by an SLA breach or escalation, or by a
supervisor by hand; addressed to a group (the task's department group, or leadership) and the
task's assignee; answered with a reply text by the reply-by date. Its state is derived: answered
when it has a reply, closed when its task is no longer open (or its case is final), else open.

An incident is a case whose timer or step failed in the background; the sweep retries it with
backoff and keeps firing everyone else's timers.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db

from .types import UTCDateTime, utcnow

NOTICE_KINDS = ("breach", "escalation", "manual", "objection")


class Notice(db.Model):
    __table_args__ = (Index("ix_notice_replied_reply_by", "replied_at", "reply_by"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), index=True)
    task_id: Mapped[str | None] = mapped_column(String(36), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    addressee_group: Mapped[str | None] = mapped_column(String(100))
    addressee_user: Mapped[str | None] = mapped_column(String(64))
    message: Mapped[str] = mapped_column(Text)
    reply_by: Mapped[datetime] = mapped_column(UTCDateTime)
    reply: Mapped[str | None] = mapped_column(Text)
    replied_by: Mapped[str | None] = mapped_column(String(64))
    replied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Incident(db.Model):
    __table_args__ = (Index("ix_incident_open", "resolved_at", "next_retry_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), index=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="timer")
    message: Mapped[str] = mapped_column(Text)
    retries: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_failed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    next_retry_at: Mapped[datetime] = mapped_column(UTCDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
