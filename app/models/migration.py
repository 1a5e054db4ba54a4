"""Moving running cases from one version of a process to another, and what is needed to move them back."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db

from .compression import CompressedText
from .types import UTCDateTime, utcnow

MIGRATION_STATES = ("running", "completed", "rolled_back")
# pending -> migrated | unsafe | failed; migrated -> rolled_back | kept (moved since, not rolled back)
CASE_MIGRATION_STATES = ("pending", "migrated", "unsafe", "failed", "rolled_back", "kept")


class ProcessMigration(db.Model):
    """One run of `migrate KEY --from V --to W`: who started it, when, and how far it got.

    At most one migration of a key runs at a time: two would read the same cases as pending.
    """

    __table_args__ = (
        Index("ux_process_migration_running_key", "key", unique=True,
              sqlite_where=text("status = 'running'"), postgresql_where=text("status = 'running'")),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(100), index=True)
    from_version_id: Mapped[int] = mapped_column(ForeignKey("process_version.id"))
    to_version_id: Mapped[int] = mapped_column(ForeignKey("process_version.id"))
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status: Mapped[str] = mapped_column(String(20), default="running")
    total: Mapped[int] = mapped_column(Integer, default=0)
    migrated: Mapped[int] = mapped_column(Integer, default=0)
    unsafe: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    rolled_back_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    rolled_back_by: Mapped[str | None] = mapped_column(String(64))


class CaseMigration(db.Model):
    """One case of a migration: its outcome, and the state it had before, kept for a rollback."""

    __table_args__ = (Index("ix_case_migration_migration_status", "migration_id", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    migration_id: Mapped[int] = mapped_column(ForeignKey("process_migration.id"))
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"))
    status: Mapped[str] = mapped_column(String(20), default="pending")
    reason: Mapped[str | None] = mapped_column(Text)
    previous_version_id: Mapped[int | None] = mapped_column(ForeignKey("process_version.id"))
    previous_state: Mapped[str | None] = mapped_column(CompressedText)  # the engine state it had, as JSON
    previous_projections: Mapped[str | None] = mapped_column(Text)  # JSON: task and timer rows before and after
    migrated_lock_version: Mapped[int | None] = mapped_column(Integer)  # what a rollback expects to find
    migrated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    rolled_back_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


WHAT_IF_STATES = ("queued", "running", "done", "failed")


class WhatIfRun(db.Model):
    """A what-if replay of every case of the weeks asked for, run by the scheduler (the page replays at most a few
    hundred while it waits). A run the scheduler left `running` without a heartbeat for a while is taken up again."""

    __table_args__ = (
        Index("ix_what_if_run_open", "state", sqlite_where=text("state IN ('queued', 'running')"),
              postgresql_where=text("state IN ('queued', 'running')")),
        # one open run per question: the same question asked twice at once is one run
        Index("ux_what_if_run_open_question", "key", "version", "weeks", unique=True,
              sqlite_where=text("state IN ('queued', 'running')"), postgresql_where=text("state IN ('queued', 'running')")),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(100))
    version: Mapped[int] = mapped_column(Integer)
    weeks: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(20), default="queued")
    requested_by: Mapped[str] = mapped_column(String(64))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    replayed: Mapped[int] = mapped_column(Integer, default=0)
    result: Mapped[str | None] = mapped_column(CompressedText)  # JSON: the replay's summary and differing cases
    error: Mapped[str | None] = mapped_column(Text)
