"""Moving running cases to another version of their process, in batches, each case in its own transaction.

Starting a migration records it with one row per running case; `migrate_batch` then moves a few
pending cases at a time (a page drives it step by step, the CLI loops). A case moves only when it is
safe (see app.engine.migration); its previous state, version and projections are kept on its row
so that `rollback_migration` (migration_rollback.py) can put it back. Every save names the instance
version it read: a case that moved meanwhile is checked again, never overwritten.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from app import engine
from app.extensions import db
from app.models import CASE_MIGRATION_STATES, Case, CaseMigration, ProcessInstance, ProcessMigration, ProcessVersion, Timer, utcnow
from app.text import restored, stored

from .. import errors, ledger
from ..errors import T
from ..sql import sql
from ..transaction import transaction
from ..uow.operation import Operation
from ..uow.projections import project_tasks_and_timers, write_case
from ..uow.versions import spec_for
from ..uow.workflow import load
from .migration_projections import projection_change, projection_rows
from .versions_diff import changed_forms, form_obstacles, running_instances, unsafe_reason, versions_pair

BATCH = 50
ATTEMPTS = 3  # a case that keeps changing under the migration is reported, not chased forever
_instances, _timers = ProcessInstance.__table__, Timer.__table__


def start_migration(key: str, from_version: int, to_version: int, actor: str) -> int:
    """Record a migration of every running case on `from_version`; returns its id. Nothing moves yet."""
    old, new = versions_pair(key, from_version, to_version, target_published=True)
    # One running migration per process: a second start, or one racing this one, is refused.
    with transaction(on_duplicate=f"a migration of {key} is already running"):
        running = db.session.scalar(select(ProcessMigration.id).where(ProcessMigration.key == key,
                                                                      ProcessMigration.status == "running"))
        if running is not None:
            raise errors.ConflictError(
                T('migration %(running)s of %(key)s is still running; finish it first (minyi processes migration resume %(running)s)',
                  running=running, key=key))
        cases = running_instances(old.id)
        migration = ProcessMigration(key=key, from_version_id=old.id, to_version_id=new.id, created_by=actor,
                                     created_at=utcnow(), status="running", total=len(cases), migrated=0, unsafe=0,
                                     failed=0)
        db.session.add(migration)
        db.session.flush()
        db.session.add_all(CaseMigration(migration_id=migration.id, instance_id=instance_id, case_id=case_id,
                                         status="pending") for instance_id, case_id, _number in cases)
        if not cases:
            migration.status, migration.finished_at = "completed", utcnow()
    return migration.id


def migrate_batch(migration_id: int, limit: int = BATCH) -> dict[str, Any]:
    """Move up to `limit` pending cases, each in its own transaction; returns the migration's summary."""
    migration = migration_by_id(migration_id)
    if migration.status != "running":
        raise errors.ConflictError(
            T('migration %(migration_id)s is %(value)s', migration_id=migration_id, value=migration.status.replace('_', ' ')))
    pending = db.session.scalars(select(CaseMigration.id).where(CaseMigration.migration_id == migration_id,
                                                                CaseMigration.status == "pending")
                                 .order_by(CaseMigration.id).limit(max(1, limit))).all()
    forms = changed_forms(migration.from_version_id, migration.to_version_id)
    db.session.rollback()
    for row_id in pending:
        _migrate_case(migration_id, row_id, forms)
    _update_counts(migration_id)
    return migration_summary(migration_id)


def run_migration(key: str, from_version: int, to_version: int, actor: str, batch: int = BATCH) -> dict[str, Any]:
    """Start a migration and run it to the end."""
    migration_id = start_migration(key, from_version, to_version, actor)
    summary = migration_summary(migration_id)
    while summary["status"] == "running":
        summary = migrate_batch(migration_id, batch)
    return summary


def _migrate_case(migration_id: int, row_id: int, forms: set[str]) -> None:
    """Each case in its own transaction; a case that moved meanwhile is tried again, a few times."""
    for _attempt in range(ATTEMPTS):
        try:
            with transaction():
                outcome = _try_migrate_case(migration_id, row_id, forms)
        except errors.StaleStateError:
            continue
        if outcome:
            return
    with transaction():
        _finish_case(row_id, "failed", T("the case kept changing while it was being migrated; run the migration again"))


def _try_migrate_case(migration_id: int, row_id: int, forms: set[str]) -> bool:
    """One attempt in the current transaction; raises StaleStateError when the case moved meanwhile."""
    migration, row = migration_by_id(migration_id), db.session.get(CaseMigration, row_id, populate_existing=True)
    if row.status != "pending":  # another worker driving the same migration got there first
        return True
    current = db.session.execute(select(_instances.c.state, _instances.c.lock_version, _instances.c.completed,
                                        _instances.c.process_version_id)
                                 .where(_instances.c.id == row.instance_id)).one()
    if current.completed or current.process_version_id != migration.from_version_id:
        _finish_case(row_id, "unsafe", T("the case is no longer running on the version being migrated from"))
        return True
    op = load(row.instance_id, migration.created_by)
    if op.lock_version != current.lock_version:
        raise errors.StaleStateError(T('the case changed while it was read'))
    new = db.session.get(ProcessVersion, migration.to_version_id)
    new_spec = spec_for(new.spec_hash)
    blocked = form_obstacles(op.ready_before.values(), forms)
    if blocked:
        _finish_case(row_id, "unsafe", unsafe_reason(engine.check_migration(op.workflow, *new_spec), blocked))
        return True
    try:
        check = migrate_workflow(op, *new_spec)
    except engine.MigrationUnsafeError as exc:
        _finish_case(row_id, "unsafe", exc.args[0] if exc.args else str(exc))
        return True
    except engine.ScriptError as exc:
        _finish_case(row_id, "failed", T("the new version failed on this case: %(error)s", error=str(exc)))
        return True
    before = projection_rows(row.instance_id)
    _save_migrated(op, new.id)
    old = db.session.get(ProcessVersion, migration.from_version_id)
    op.record("process.migrated", process=migration.key, **{"from": old.version, "to": new.version},
              migration=migration_id)
    project_tasks_and_timers(op)
    _follow_recomputed_timers(op)
    write_case(op)
    ledger.write(op.case.id, op.actor, op.ledger)
    projections = projection_change(before, projection_rows(row.instance_id))
    row.status, row.reason, row.migrated_at = "migrated", stored(check.reason), utcnow()
    row.previous_version_id, row.previous_state = current.process_version_id, current.state
    row.previous_projections, row.migrated_lock_version = projections, op.lock_version + 1
    return True


def migrate_workflow(op: Operation, new_spec, new_subprocess_specs) -> engine.MigrationCheck:
    """The engine's part, on the loaded instance (a seam for tests that change a case meanwhile)."""
    op.shifting = True  # timers that move here were recomputed, not fired
    return engine.migrate_instance(op.workflow, new_spec, new_subprocess_specs)


def _follow_recomputed_timers(op: Operation) -> None:
    """A timer whose definition changed was computed again from now, maybe in other days (calendar ->
    working): its row says so, so that a hold moves it by the right days from the right start."""
    now = utcnow()
    for timer in engine.pending_timers(op.workflow):
        before = op.timers_before.get(timer.task_id)
        if before is not None and (before.unit, before.due_at) != (timer.unit, timer.due_at):
            sql(_timers.update().where(_timers.c.id == timer.task_id).values(unit=timer.unit, started_at=now))


def _save_migrated(op: Operation, version_id: int) -> None:
    result = sql(_instances.update().where(_instances.c.id == op.instance_id,
                                           _instances.c.lock_version == op.lock_version)
                 .values(state=engine.state_to_json(op.workflow), process_version_id=version_id,
                         lock_version=op.lock_version + 1, updated_at=utcnow()))
    if result.rowcount != 1:
        raise errors.StaleStateError(T('the case was changed meanwhile'))


def _finish_case(row_id: int, status: str, reason: str) -> None:
    row = db.session.get(CaseMigration, row_id, populate_existing=True)
    row.status, row.reason = status, stored(reason)


def _update_counts(migration_id: int) -> None:
    with transaction():
        migration = migration_by_id(migration_id)
        counts = dict(db.session.execute(select(CaseMigration.status, func.count())
                                         .where(CaseMigration.migration_id == migration_id)
                                         .group_by(CaseMigration.status)).all())
        migration.migrated, migration.unsafe, migration.failed = (counts.get(s, 0)
                                                                  for s in ("migrated", "unsafe", "failed"))
        if migration.status == "running" and not counts.get("pending"):
            migration.status, migration.finished_at = "completed", utcnow()


def migration_by_id(migration_id: int) -> ProcessMigration:
    # Read afresh: the session keeps objects across commits, and other workers change these rows.
    migration = db.session.get(ProcessMigration, migration_id, populate_existing=True)
    if migration is None:
        raise errors.NotFoundError(T('migration %(migration_id)s does not exist', migration_id=migration_id))
    return migration


def migration_summary(migration_id: int) -> dict[str, Any]:
    """Status, counts and every case with its outcome (and reason)."""
    migration = migration_by_id(migration_id)
    rows = db.session.execute(select(CaseMigration, Case.number).join(Case, Case.id == CaseMigration.case_id)
                              .where(CaseMigration.migration_id == migration_id).order_by(CaseMigration.id)).all()
    counts = dict.fromkeys(CASE_MIGRATION_STATES, 0)
    items = []
    for row, number in rows:
        counts[row.status] += 1
        items.append({"case_number": number, "instance_id": row.instance_id, "status": row.status, "reason": restored(row.reason),
                      "migrated_at": _iso(row.migrated_at), "rolled_back_at": _iso(row.rolled_back_at)})
    summary = {**_header(migration, _versions_of([migration])), "counts": {"total": len(items), **counts},
               "cases": {"items": items, "total": len(items)}}
    db.session.rollback()
    return summary


def list_migrations(key: str) -> dict[str, Any]:
    """The migrations of a process, newest first, without their cases: {items, total}."""
    migrations = db.session.scalars(select(ProcessMigration).where(ProcessMigration.key == key)
                                    .order_by(ProcessMigration.id.desc())).all()
    versions = _versions_of(migrations)
    items = [{**_header(m, versions), "counts": {"total": m.total, "migrated": m.migrated, "unsafe": m.unsafe,
                                                  "failed": m.failed}} for m in migrations]
    db.session.rollback()
    return {"items": items, "total": len(items)}


def _versions_of(migrations) -> dict[int, int]:
    ids = {i for m in migrations for i in (m.from_version_id, m.to_version_id)}
    return dict(db.session.execute(select(ProcessVersion.id, ProcessVersion.version).where(ProcessVersion.id.in_(ids))).all())


def _header(migration: ProcessMigration, versions: dict[int, int]) -> dict[str, Any]:
    return {
        "id": migration.id, "key": migration.key, "from": versions[migration.from_version_id],
        "to": versions[migration.to_version_id], "status": migration.status, "created_by": migration.created_by,
        "created_at": _iso(migration.created_at), "finished_at": _iso(migration.finished_at),
        "rolled_back_at": _iso(migration.rolled_back_at), "rolled_back_by": migration.rolled_back_by,
    }


def _iso(moment) -> str | None:
    return moment.isoformat() if moment is not None else None
