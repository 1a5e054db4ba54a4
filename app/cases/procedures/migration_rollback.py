"""Undoing a migration: every migrated case goes back to its previous state, version and projections,
unless it moved on since (then it stays on the new version, and the summary says why)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.extensions import db
from app.models import CaseMigration, ProcessInstance, ProcessMigration, ProcessVersion, utcnow
from app.text import stored

from .. import errors, ledger
from ..errors import T
from ..sql import sql
from ..transaction import transaction
from .migration import migration_by_id, migration_summary
from .migration_projections import undo_projection_change

_instances = ProcessInstance.__table__
_migrations, _case_migrations = ProcessMigration.__table__, CaseMigration.__table__


def rollback_migration(migration_id: int, actor: str) -> dict[str, Any]:
    """Put every migrated case back, each in its own transaction; returns the migration's summary.

    The migration is marked rolled back first, in one guarded statement, so two rollbacks never both run;
    a rollback that was interrupted may be run again and goes on with the cases still migrated.
    """
    with transaction():
        migration = migration_by_id(migration_id)
        pending = _still_migrated(migration_id)
        if migration.status == "running":
            raise errors.ConflictError(T('migration %(migration_id)s is still running; let it finish first', migration_id=migration_id))
        claimed = sql(_migrations.update().where(_migrations.c.id == migration_id, _migrations.c.status == "completed")
                      .values(status="rolled_back", rolled_back_at=utcnow(), rolled_back_by=actor)).rowcount
        if not claimed and not (migration.status == "rolled_back" and pending):
            raise errors.ConflictError(T('migration %(migration_id)s was rolled back already', migration_id=migration_id))
        versions = dict(db.session.execute(select(ProcessVersion.id, ProcessVersion.version).where(
            ProcessVersion.id.in_([migration.from_version_id, migration.to_version_id]))).all())
        details = {"process": migration.key, "from": versions[migration.to_version_id],
                   "to": versions[migration.from_version_id], "migration": migration_id}
    for row_id in pending:
        try:
            with transaction():
                _rollback_case(row_id, actor, details)
        except errors.StaleStateError:
            continue  # another rollback beside this one took the case
    return migration_summary(migration_id)


def _still_migrated(migration_id: int) -> list[int]:
    return list(db.session.scalars(select(CaseMigration.id).where(CaseMigration.migration_id == migration_id,
                                                                  CaseMigration.status == "migrated")
                                   .order_by(CaseMigration.id)))


def _rollback_case(row_id: int, actor: str, details: dict[str, Any]) -> None:
    row = db.session.get(CaseMigration, row_id, populate_existing=True)
    if row.status != "migrated":
        return
    result = sql(_instances.update().where(_instances.c.id == row.instance_id,
                                           _instances.c.lock_version == row.migrated_lock_version)
                 .values(state=row.previous_state, process_version_id=row.previous_version_id,
                         lock_version=row.migrated_lock_version + 1, updated_at=utcnow()))
    if result.rowcount != 1:
        _set_outcome(row_id, "kept", reason=stored(T("not rolled back: the case moved on after the migration; it stays on "
                                                     "version %(version)s", version=details["from"])))
        return
    changed = undo_projection_change(row.previous_projections)
    ledger.record(row.case_id, actor, "process.migration_rolled_back", **{**details, **changed})
    _set_outcome(row_id, "rolled_back", rolled_back_at=utcnow())


def _set_outcome(row_id: int, status: str, **values: Any) -> None:
    """Only from 'migrated': a rollback running beside this one never overwrites what it recorded."""
    done = sql(_case_migrations.update().where(_case_migrations.c.id == row_id, _case_migrations.c.status == "migrated")
               .values(status=status, **values)).rowcount
    if not done:
        raise errors.StaleStateError(T('the case was rolled back by someone else meanwhile'))
