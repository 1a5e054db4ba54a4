"""Deployed process versions and running instances."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db

from .types import UTCDateTime, utcnow


class ProcessSpec(db.Model):
    """A serialized spec, stored once per content hash, however many versions share it."""

    hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    spec_json: Mapped[str] = mapped_column(Text)


class ProcessVersion(db.Model):
    __table_args__ = (UniqueConstraint("key", "version"), UniqueConstraint("key", "hash"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(100), index=True)
    version: Mapped[int] = mapped_column(Integer)
    name: Mapped[str | None] = mapped_column(String(200))
    hash: Mapped[str] = mapped_column(String(64))
    spec_hash: Mapped[str] = mapped_column(ForeignKey("process_spec.hash"))
    bpmn_xml: Mapped[str] = mapped_column(Text, deferred=True)
    deployed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    deployed_by: Mapped[str | None] = mapped_column(String(64))


class ProcessInstance(db.Model):
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), index=True)
    process_version_id: Mapped[int] = mapped_column(ForeignKey("process_version.id"), index=True)
    state: Mapped[str] = mapped_column(Text)
    completed: Mapped[bool] = mapped_column(default=False)
    lock_version: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    process_version: Mapped[ProcessVersion] = relationship(lazy="joined", innerjoin=True)
    case: Mapped[Case] = relationship(lazy="raise")  # noqa: F821 - loaded explicitly where needed

    # A stale write raises StaleDataError: the UPDATE names the version it read.
    __mapper_args__ = {"version_id_col": lock_version}
