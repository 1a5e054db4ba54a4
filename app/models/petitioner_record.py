"""Petitioner records: one person across all their cases and channels.

A person is found again by a keyed hash (HMAC-SHA256, app/cases/people/petitioners.py) of their normalised phone
number, e-mail address or resident ID number, never by the plain value: that stays in each case's petitioner row,
shown under the masking policy. Two records of one person are merged into one (the other points at it), and every
merge is kept with who did it and why.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db

from .types import UTCDateTime, utcnow

_ROOT = text("merged_into_id IS NULL")


class Person(db.Model):
    __table_args__ = (
        # one live record per identifier (a merged record keeps its keys and points at the one that absorbed it)
        Index("uq_person_phone_key", "phone_key", unique=True, sqlite_where=_ROOT, postgresql_where=_ROOT),
        Index("uq_person_email_key", "email_key", unique=True, sqlite_where=_ROOT, postgresql_where=_ROOT),
        Index("uq_person_id_number_key", "id_number_key", unique=True, sqlite_where=_ROOT, postgresql_where=_ROOT),
        # any record by identifier, merged ones too (their identifiers lead to the record that absorbed them)
        Index("ix_person_phone_key", "phone_key"),
        Index("ix_person_email_key", "email_key"),
        Index("ix_person_id_number_key", "id_number_key"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))  # the name last given
    phone_key: Mapped[str | None] = mapped_column(String(32))
    email_key: Mapped[str | None] = mapped_column(String(32))
    id_number_key: Mapped[str | None] = mapped_column(String(32))
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PersonMerge(db.Model):
    """One merge: `person_id` was found to be `into_id`; its cases now count for that record."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    into_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    actor: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
