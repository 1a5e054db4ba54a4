"""The ledger (台账): append-only record of who did what to which case, when, with which data."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String, event
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db

from .types import UTCDateTime, utcnow


class LedgerEntry(db.Model):
    # (case_id) alone: PostgreSQL deduplicates a case's entries into one key; readers sort a case's few by id
    __table_args__ = (Index("ix_ledger_case", "case_id"),)

    # 64-bit: ten years of a city are ~2.9 billion entries (SQLite's INTEGER is 64-bit and is its rowid)
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(50))
    details: Mapped[dict] = mapped_column(JSON, default=dict)


@event.listens_for(LedgerEntry, "before_update")
@event.listens_for(LedgerEntry, "before_delete")
def _refuse_change(mapper, connection, target):
    raise PermissionError("the ledger is append-only")
