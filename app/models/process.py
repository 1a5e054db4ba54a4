"""Deployed process versions and running instances."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DDL, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint, event, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db

from .compression import CompressedText
from .types import UTCDateTime, utcnow


class ProcessSpec(db.Model):
    """A serialized spec, stored once per content hash, however many versions share it."""

    hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    spec_json: Mapped[str] = mapped_column(Text)


VERSION_STATES = ("draft", "published")


class ProcessVersion(db.Model):
    """A deployed bundle: the BPMN plus the forms it references, identified by `hash`.

    `hash` covers the executable content only (no diagram layout) and the forms; `bpmn_xml` is the
    file as last deployed. Of the published versions of a key exactly one may be `active`.
    """

    __table_args__ = (
        UniqueConstraint("key", "version"),
        UniqueConstraint("key", "hash"),
        Index("ux_process_version_active_key", "key", unique=True,
              sqlite_where=text("active"), postgresql_where=text("active")),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(100), index=True)
    version: Mapped[int] = mapped_column(Integer)
    name: Mapped[str | None] = mapped_column(String(200))
    hash: Mapped[str] = mapped_column(String(64))
    spec_hash: Mapped[str] = mapped_column(ForeignKey("process_spec.hash"))
    bpmn_xml: Mapped[str] = mapped_column(Text, deferred=True)
    deployed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    deployed_by: Mapped[str | None] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(20), default="published", server_default="published")
    active: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class ProcessVersionForm(db.Model):
    """A form as it was when its version was deployed: running cases validate against this copy."""

    process_version_id: Mapped[int] = mapped_column(ForeignKey("process_version.id", ondelete="CASCADE"), primary_key=True)
    form_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    source: Mapped[str] = mapped_column(Text)


class ProcessSetting(db.Model):
    """What an owner sets for a process beyond its diagram: the group that does the tasks the diagram gives to nobody
    (no lane, no candidate group; None: the intake group)."""

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    default_group: Mapped[str | None] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by: Mapped[str | None] = mapped_column(String(64))


class CatalogueEntry(db.Model):
    """The catalogue: which process a category's cases start."""

    category: Mapped[str] = mapped_column(String(20), primary_key=True)
    process_key: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by: Mapped[str | None] = mapped_column(String(64))


_RUNNING = text("NOT completed")


class ProcessInstance(db.Model):
    # Running instances per version (the workbench's counts, migration 0016), without the finished ones.
    __table_args__ = (
        Index("ix_process_instance_running", "process_version_id", sqlite_where=_RUNNING, postgresql_where=_RUNNING),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), index=True)
    process_version_id: Mapped[int] = mapped_column(ForeignKey("process_version.id"), index=True)
    state: Mapped[str] = mapped_column(CompressedText)  # JSON; a finished instance keeps a compacted form
    completed: Mapped[bool] = mapped_column(default=False)
    lock_version: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    process_version: Mapped[ProcessVersion] = relationship(lazy="joined", innerjoin=True)
    case: Mapped[Case] = relationship(lazy="raise")  # noqa: F821 - loaded explicitly where needed

    # A stale write raises StaleDataError: the UPDATE names the version it read.
    __mapper_args__ = {"version_id_col": lock_version}


# Already compressed: PostgreSQL's own compression would only spend time, and moving the value out of line
# (TOAST) would add a chunk row and an index entry per instance. MAIN keeps it in the row unless the row cannot
# fit a page (measured in benchmarks/storage.py). The same statement is in migration 0016. Fillfactor stays at
# its default: saves change no indexed column, so they are HOT updates (95-100 % measured) whose old versions
# page pruning reclaims; room kept free in every page would stay empty in the pages of closed cases.
STATE_STORAGE = "ALTER TABLE process_instance ALTER COLUMN state SET STORAGE MAIN"
event.listen(ProcessInstance.__table__, "after_create", DDL(STATE_STORAGE).execute_if(dialect="postgresql"))
