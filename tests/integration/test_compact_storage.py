"""Migration 0016 converts the stored engine states both ways, and compressed states survive a backup and restore
(SQLite, or a fresh database on the PostgreSQL server)."""

import json

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, select, text

from app import create_app, engine
from app.cases import reference
from app.cases.intake.appeal import parse_appeal
from app.cases.intake.registration import forget_reserved_numbers, register_case
from app.cases.people.users import create_user, principal_of
from app.cases.procedures.migration import run_migration
from app.cases.procedures.processes import deploy_bpmn, forget_version_caches
from app.cases.uow.workflow import load
from app.cases.work.tasks import complete_task
from app.engine.serialization import COMPACTED_KEY
from app.extensions import db
from app.models import CaseMigration, ProcessInstance, Task, User, is_search_object
from app.models.compression import CorruptStoredTextError, decompress_text
from tests.helpers import COMPLAINT, table_rows
from tests.processes import two_steps

BEFORE = "0015_open_work_indexes"


def _forget_caches():
    reference.forget()
    forget_reserved_numbers()
    forget_version_caches()


def _cases_of_every_kind():
    """Two running cases moved by a migration (their previous states kept), one closed (compacted)."""
    create_user("intake1", ["intake"], password=None)
    deploy_bpmn(two_steps(), "complaint.bpmn", "test")
    numbers = [register_case(parse_appeal(COMPLAINT), "intake1").number for _ in range(3)]
    user = principal_of(db.session.scalar(select(User).where(User.username == "intake1")))
    for name in ("triage", "review"):
        task = db.session.scalar(select(Task).where(Task.name == name, Task.state == "ready").order_by(Task.id))
        complete_task(user, task.id, {})
    deploy_bpmn(two_steps(review_name="Final review"), "complaint.bpmn", "test")
    assert run_migration("complaint", 1, 2, "owner1")["counts"]["migrated"] == 2
    return numbers


def _states():
    db.session.expire_all()
    states = dict(db.session.execute(select(ProcessInstance.id, ProcessInstance.state)).all())
    previous = dict(db.session.execute(select(CaseMigration.id, CaseMigration.previous_state)).all())
    db.session.rollback()
    return states, previous


def _raw(connection):
    return (dict(connection.execute(text("SELECT id, state FROM process_instance")).all()),
            dict(connection.execute(text("SELECT id, previous_state FROM case_migration")).all()))


def test_migration_0016_converts_existing_states_to_compressed_bytes_and_back(empty_database):
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database})
    with app.app_context():
        upgrade()
        _forget_caches()
        _cases_of_every_kind()
        states, previous = _states()
        completed = [json.loads(s) for s in states.values() if COMPACTED_KEY in json.loads(s)]
        assert len(states) == 3 and len(completed) == 1 and len(previous) == 2

        downgrade(revision=BEFORE)
        with db.engine.connect() as connection:
            assert _raw(connection) == (states, previous)  # text again, character for character

        upgrade()
        with db.engine.connect() as connection:
            raw_states, raw_previous = _raw(connection)
            if db.engine.dialect.name == "sqlite":
                assert connection.exec_driver_sql("PRAGMA foreign_key_check").all() == []
                assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
                assert connection.exec_driver_sql("PRAGMA journal_size_limit").scalar() == 16 * 1024 * 1024
            else:
                assert connection.execute(text("SELECT attstorage FROM pg_attribute WHERE attname = 'state' "
                                               "AND attrelid = 'process_instance'::regclass")).scalar() == "m"
            searchless = {"include_object": lambda o, name, *_: not is_search_object(name)}  # their own migration's
            assert compare_metadata(MigrationContext.configure(connection, opts=searchless), db.metadata) == []
        assert {k: decompress_text(v) for k, v in raw_states.items()} == states
        assert {k: decompress_text(v) for k, v in raw_previous.items()} == previous
        assert sum(map(len, raw_states.values())) < sum(len(s.encode()) for s in states.values()) / 2
        assert _states() == (states, previous)

        # The converted cases go on: the migrated one reaches the new version's review.
        triage = db.session.scalar(select(Task).where(Task.state == "ready").order_by(Task.id))
        user = principal_of(db.session.scalar(select(User).where(User.username == "intake1")))
        _, _, following = complete_task(user, triage.id, {})
        assert [t["title"] for t in following] == ["Final review"]
        db.session.remove()
        db.engine.dispose()
    _forget_caches()


def test_a_state_that_does_not_decompress_stops_the_downgrade_before_anything_changes(empty_database):
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database})
    with app.app_context():
        upgrade()
        _forget_caches()
        _cases_of_every_kind()
        with db.engine.begin() as connection:
            head = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
            damaged = connection.execute(text("SELECT id, state FROM process_instance ORDER BY id DESC")).first()
            connection.execute(text("UPDATE process_instance SET state = :s WHERE id = :id"),
                               {"s": bytes(damaged.state)[:-5], "id": damaged.id})
        with pytest.raises(CorruptStoredTextError):
            downgrade(revision=BEFORE)
        db.session.remove()
        db.engine.dispose()
        with db.engine.connect() as connection:
            # SQLite commits each step (those after 0016 went through); PostgreSQL rolls the whole downgrade back
            stopped_at = "0016_compact_state" if db.engine.dialect.name == "sqlite" else head
            assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == stopped_at
            kept = dict(connection.execute(text("SELECT id, state FROM process_instance")).all())
        assert bytes(kept[damaged.id]) == bytes(damaged.state)[:-5] and len(kept) == 3
        assert [c["name"] for c in inspect(db.engine).get_columns("process_instance") if "state" in c["name"]] == ["state"]
        db.engine.dispose()
    _forget_caches()


def test_compressed_and_compacted_states_survive_a_backup_and_restore(empty_database, tmp_path, app):
    numbers = _cases_of_every_kind()
    path = tmp_path / "minyi.backup"
    assert app.test_cli_runner().invoke(args=["backup", str(path)]).exit_code == 0
    target = create_app({"SQLALCHEMY_DATABASE_URI": empty_database})
    with target.app_context():
        restored = target.test_cli_runner().invoke(args=["restore", str(path)])
        assert restored.exit_code == 0, restored.output
        with db.engine.connect() as connection:
            if db.engine.dialect.name == "postgresql":  # pg_dump carries the column's storage
                assert connection.execute(text("SELECT attstorage FROM pg_attribute WHERE attname = 'state' "
                                               "AND attrelid = 'process_instance'::regclass")).scalar() == "m"
        for instance_id in db.session.scalars(select(ProcessInstance.id)):
            op = load(instance_id, "test")  # every state, the compacted one too, decompresses and loads
            assert engine.is_completed(op.workflow) == (not op.ready_before)
        db.session.remove()
        db.engine.dispose()
    copy = create_engine(empty_database)
    try:
        assert table_rows(db.engine) == table_rows(copy)
    finally:
        copy.dispose()
    assert len(numbers) == 3
