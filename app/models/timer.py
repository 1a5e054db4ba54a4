"""The pending-timer projection: every timer an instance waits on, with its due time."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db

from .types import UTCDateTime


class Timer(db.Model):
    __table_args__ = (Index("ix_timer_due", "due_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # the engine's task id of the timer event
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(200))
    attached_to: Mapped[str | None] = mapped_column(String(100))
    role: Mapped[str | None] = mapped_column(String(50))  # e.g. 'deadline', 'warning' (BPMN property)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)  # when the timer started waiting
    provisional: Mapped[bool] = mapped_column(Boolean, default=False)  # due in a year without official calendar data
