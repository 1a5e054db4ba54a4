"""The pending-timer table: every moment an instance waits for, with its due time and unit.

Two kinds of rows, fired by the same sweep:
- `bpmn`: a BPMN timer event the engine waits on (id = the engine's task id); it changes the flow.
- `warning`, `breach`, `escalation`: the SLA policy of a user task (`due` on the task), kept by
  Minyi alone (id = '<task id>:<kind>'); they flag the task and raise supervision notices.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db

from .types import UTCDateTime

TIMER_KINDS = ("bpmn", "warning", "breach", "escalation")
UNITS = ("working", "days", "calendar")  # working days; calendar days, off rest days; elapsed time


class Timer(db.Model):
    __table_args__ = (Index("ix_timer_due", "due_at"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="bpmn")
    task_id: Mapped[str | None] = mapped_column(String(36), index=True)  # the user task an SLA moment belongs to
    name: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(200))
    attached_to: Mapped[str | None] = mapped_column(String(100))
    unit: Mapped[str] = mapped_column(String(10), default="calendar")  # how a pause moves it
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)  # when the timer started waiting
    provisional: Mapped[bool] = mapped_column(Boolean, default=False)  # due in a year without official calendar data
