"""What came in by e-mail and waits for an intake clerk: registered as a case, attached to the case it answers, or
rejected with a reason. The files it carried are in the file store, listed here until they belong to a case."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db

from .types import UTCDateTime, utcnow

INCOMING_STATES = ("new", "registered", "attached", "rejected")
REJECT_REASONS = ("spam", "not_an_appeal", "duplicate", "other")


class IncomingItem(db.Model):
    __table_args__ = (Index("ix_incoming_item_state", "state", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(20), default="email")
    message_id: Mapped[str] = mapped_column(String(300), unique=True)  # the mail's Message-ID: fetched once
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sender: Mapped[str] = mapped_column(String(200), default="")  # the From address
    sender_name: Mapped[str] = mapped_column(String(200), default="")
    subject: Mapped[str] = mapped_column(String(500), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    in_reply_to: Mapped[str | None] = mapped_column(String(300))
    files: Mapped[list] = mapped_column(JSON, default=list)  # [{filename, content_type, size, sha256}] in the store
    state: Mapped[str] = mapped_column(String(20), default="new")
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case.id"), index=True)  # registered as / attached to
    decided_by: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reason: Mapped[str | None] = mapped_column(String(30))  # why rejected (REJECT_REASONS)
    note: Mapped[str | None] = mapped_column(Text)

    case = relationship("Case", lazy="select")
