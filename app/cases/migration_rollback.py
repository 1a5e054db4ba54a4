"""Undoing a migration: every migrated case goes back to its previous state, version and projections,
unless it moved on since (then it stays on the new version, and the summary says why)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.extensions import db
from app.models import CaseMigration, ProcessInstance, ProcessVersion, utcnow

from . import errors
from .migration import _migration, migration_summary
from .migration_projections import undo_projection_change
from .sql import sql
from .workflow import write_ledger

_instances = ProcessInstance.__table__


def rollback_migration(migration_id: int, actor: str) -> dict[str, Any]:
    """Put every migrated case back, each in its own transaction; returns the migration's summary."""
    migration = _migration(migration_id)
    if migration.status == "rolled_back":
        raise errors.ConflictError(f"migration {migration_id} was rolled back already")
    if migration.status == "running":
        raise errors.ConflictError(f"migration {migration_id} is still running; let it finish first")
    versions = dict(db.session.execute(select(ProcessVersion.id, ProcessVersion.version).where(
        ProcessVersion.id.in_([migration.from_version_id, migration.to_version_id]))).all())
    details = {"process": migration.key, "from": versions[migration.to_version_id],
               "to": versions[migration.from_version_id], "migration": migration_id}
    rows = db.session.scalars(select(CaseMigration.id).where(CaseMigration.migration_id == migration_id,
                                                             CaseMigration.status == "migrated")
                              .order_by(CaseMigration.id)).all()
    db.session.rollback()
    for row_id in rows:
        try:
            _rollback_case(row_id, actor, details)
            db.session.commit()
        except BaseException:
            db.session.rollback()
            raise
    migration = _migration(migration_id)
    migration.status, migration.rolled_back_at, migration.rolled_back_by = "rolled_back", utcnow(), actor
    db.session.commit()
    return migration_summary(migration_id)


def _rollback_case(row_id: int, actor: str, details: dict[str, Any]) -> None:
    row = db.session.get(CaseMigration, row_id)
    result = sql(_instances.update().where(_instances.c.id == row.instance_id,
                                           _instances.c.lock_version == row.migrated_lock_version)
                 .values(state=row.previous_state, process_version_id=row.previous_version_id,
                         lock_version=row.migrated_lock_version + 1, updated_at=utcnow()))
    if result.rowcount != 1:
        row.status = "kept"
        row.reason = f"not rolled back: the case moved on after the migration; it stays on version {details['from']}"
        return
    changed = undo_projection_change(row.previous_projections)
    write_ledger(row.case_id, actor, [{"action": "process.migration_rolled_back", "details": {**details, **changed}}])
    row.status, row.rolled_back_at = "rolled_back", utcnow()
