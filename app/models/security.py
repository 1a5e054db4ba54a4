"""What guards the doors, kept in the database so that every worker and host shares it: failed sign-ins and
access-code lookups (app/cases/people/attempts.py), and the staff sessions a logout ends (people/sessions.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db

from .types import UTCDateTime, utcnow

ATTEMPT_KINDS = ("login", "lookup", "submission")


class FailedAttempt(db.Model):
    """One wrong password (subject: the user name), wrong access code (subject: the case number), or appeal sent
    through the public form (subject: '*', every submission counts towards the overall limit)."""

    __table_args__ = (
        Index("ix_failed_attempt_subject", "kind", "subject", "at"),
        Index("ix_failed_attempt_address", "kind", "address", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    subject: Mapped[str] = mapped_column(String(64))
    address: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class StaffSession(db.Model):
    """A signed-in browser: the cookie names it, every request checks it; logout, deactivation and a new password
    end it."""

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # a random token's SHA-256, hex
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    address: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
