"""Messages that leave Minyi (the outbox), the templates they are written from, and one-time rating links."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db

from .types import UTCDateTime, utcnow

MESSAGE_CHANNELS = ("email", "sms")
# pending: waiting for its (next) attempt; sending: handed to a transport, not yet confirmed; sent;
# dead: every attempt failed (an admin may retry); uncertain: the sender stopped while sending (it may have
# left: never re-sent by itself, an admin decides); dropped: written before delivery existed, no recipient
MESSAGE_STATES = ("pending", "sending", "sent", "dead", "uncertain", "dropped")
NOTIFY_BY = ("email", "sms", "none")


_UNSENT = text("status <> 'sent'")


class OutboxMessage(db.Model):
    """One message to one recipient, written in the transaction of what it tells and delivered by the scheduler."""

    __table_args__ = (
        # Only the messages not yet sent (few): the sender's due ones, stale claims, the states that need a person
        # and their counts. Sent ones -- nearly all of ten years' -- cost this index nothing.
        Index("ix_outbox_message_unsent", "status", "next_attempt_at",
              sqlite_where=_UNSENT, postgresql_where=_UNSENT),
        Index("ix_outbox_message_case", "case_id", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    notification_id: Mapped[int | None] = mapped_column(ForeignKey("notification.id"))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case.id"))
    kind: Mapped[str | None] = mapped_column(String(30))  # receipt, accepted, not_accepted, routed, ...
    channel: Mapped[str] = mapped_column(String(20))  # email or sms
    recipient: Mapped[str | None] = mapped_column(String(200))  # an e-mail address or a phone number
    locale: Mapped[str | None] = mapped_column(String(5))
    subject: Mapped[str | None] = mapped_column(Text)
    body: Mapped[str | None] = mapped_column(Text)
    # a value the body holds only until sent (a receipt's access code): blanked in the body once delivered
    secret: Mapped[str | None] = mapped_column(String(64))
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)  # case + kind + step + channel
    payload: Mapped[dict | None] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class MessageTemplate(db.Model):
    """An administrator's wording of one kind of message for one channel and language (else the shipped one)."""

    kind: Mapped[str] = mapped_column(String(30), primary_key=True)
    channel: Mapped[str] = mapped_column(String(20), primary_key=True)
    locale: Mapped[str] = mapped_column(String(5), primary_key=True)
    subject: Mapped[str | None] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    updated_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RatingLink(db.Model):
    """A one-time link to rate an answer: only its SHA-256 is kept; the rating needs a POST from its page."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
