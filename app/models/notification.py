"""In-app notifications of staff (the messages that leave Minyi are in message.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db

from .types import UTCDateTime, utcnow


class Notification(db.Model):
    __table_args__ = (
        Index("ix_notification_user_read", "recipient_user", "read_at"),
        Index("ix_notification_group_read", "recipient_group", "read_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), index=True)
    task_id: Mapped[str | None] = mapped_column(String(36))
    recipient_user: Mapped[str | None] = mapped_column(String(64))
    recipient_group: Mapped[str | None] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(30))  # warning, breach, notice, escalation
    message: Mapped[str] = mapped_column(Text)
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)  # one notification per event, however often it fires
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
