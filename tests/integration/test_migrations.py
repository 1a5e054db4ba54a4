"""The named migrations build exactly the schema the models describe, plus the reference data --
on the database the suite runs on (SQLite, or a fresh database on the PostgreSQL server)."""


from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import create_engine, text

from app import create_app
from app.extensions import db
from app.models import is_search_object


def test_upgrade_on_an_empty_database_matches_the_models(empty_database):
    url = empty_database
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        db.engine.dispose()
    engine = create_engine(url)
    with engine.connect() as connection:
        # the text search objects are not models (app/models/search.py); their own test checks them
        context = MigrationContext.configure(connection, opts={"include_object": lambda o, name, *_: not is_search_object(name)})
        diff = compare_metadata(context, db.metadata)
        lanes = connection.execute(text("SELECT lane, role FROM lane_group ORDER BY lane")).all()
        counter = connection.execute(text("SELECT value FROM counter WHERE name = 'case'")).scalar()
    engine.dispose()
    assert diff == []
    assert ("Department", "handler") in lanes and ("Intake", "intake") in lanes
    assert counter == 0


def test_upgrading_existing_versions_publishes_them_activates_the_newest_and_fills_their_bundles(empty_database):
    from pathlib import Path

    from app.cases.procedures.bundles import bundle_hash

    url = empty_database
    xml = (Path(__file__).resolve().parents[2] / "processes" / "complaint.bpmn").read_text(encoding="utf-8")
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade(revision="0005_provisional_timers")
        with db.engine.begin() as connection:
            connection.execute(text("INSERT INTO process_spec (hash, spec_json) VALUES ('s', '{}')"))
            for version in (1, 2):
                connection.execute(text(
                    "INSERT INTO process_version (key, version, hash, spec_hash, bpmn_xml, deployed_at) "
                    "VALUES ('complaint', :v, :h, 's', :xml, CURRENT_TIMESTAMP)"), {"v": version, "h": f"old{version}", "xml": xml})
        upgrade()
        forms_dir = Path(app.config["MINYI_FORMS_DIR"])
        db.engine.dispose()
    engine = create_engine(url)
    with engine.connect() as connection:
        versions = connection.execute(text("SELECT version, state, active, hash FROM process_version ORDER BY version")).all()
        bundled = connection.execute(text("SELECT form_id, source FROM process_version_form WHERE process_version_id = 2")).all()
        bound = connection.execute(text("SELECT DISTINCT process_key FROM catalogue_entry")).scalars().all()
        categories = connection.execute(text("SELECT count(*) FROM catalogue_entry")).scalar()
    engine.dispose()
    sources = dict(bundled)
    assert [(v, s, bool(a)) for v, s, a, _ in versions] == [(1, "published", False), (2, "published", True)]
    assert versions[1][3] == bundle_hash(xml.encode("utf-8"), {}, sources) and versions[0][3] == "old1"
    assert "complaint_triage" in sources and sources["complaint_triage"] == (forms_dir / "complaint_triage.yaml").read_text(
        encoding="utf-8")
    assert bound == ["complaint"] and categories == 7


def test_upgrading_gives_old_tokens_an_expiry_and_inactive_users_a_deactivation_time(empty_database):
    url = empty_database
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade(revision="0007_sla_notices_incidents")
        with db.engine.begin() as connection:
            for user_id, active in ((1, True), (2, False)):
                connection.execute(text(
                    'INSERT INTO "user" (id, username, display_name, roles, active, created_at) '
                    "VALUES (:id, :name, '', 'handler', :active, CURRENT_TIMESTAMP)"),
                    {"id": user_id, "name": f"u{user_id}", "active": active})
                connection.execute(text(
                    "INSERT INTO api_token (user_id, token_hash, created_at) VALUES (:id, :hash, CURRENT_TIMESTAMP)"),
                    {"id": user_id, "hash": f"{user_id:064d}"})
        upgrade()
        db.engine.dispose()
    engine = create_engine(url)
    with engine.connect() as connection:
        tokens = connection.execute(text("SELECT name, expires_at FROM api_token ORDER BY id")).all()
        users = connection.execute(text('SELECT username, deactivated_at FROM "user" ORDER BY id')).all()
    engine.dispose()
    assert [name for name, _ in tokens] == ["", ""] and all(expires is not None for _, expires in tokens)
    assert users[0][1] is None and users[1][1] is not None


def test_upgrading_makes_the_cases_already_there_searchable_and_downgrading_removes_the_search(empty_database):
    from app.cases.lists.case_list import Filters, cases
    from app.cases.policy import Principal
    from app.models import SEARCH_TABLE

    analyst = Principal(1, "analyst", frozenset({"analyst"}), None, None)

    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database})
    with app.app_context():
        upgrade(revision="0015_open_work_indexes")
        with db.engine.begin() as connection:
            connection.execute(text(
                'INSERT INTO "case" (number, category, channel, title, description, status, received_at, due_unit, '
                "access_code_hash, created_at, updated_at) VALUES ('20260301000001', 'complaint', 'web', '幸福路夜间施工噪音', "
                "'-', 'registered', CURRENT_TIMESTAMP, 'calendar', 'x', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"))
        upgrade()
        found = [c.number for c in cases(analyst, Filters(q="夜间施工")).items]
        db.session.remove()
        from flask_migrate import downgrade

        downgrade(revision="0015_open_work_indexes")
        with db.engine.connect() as connection:
            if connection.dialect.name == "sqlite":
                left = connection.execute(text("SELECT name FROM sqlite_master WHERE name LIKE :n"), {"n": f"{SEARCH_TABLE}%"}).all()
            else:
                left = connection.execute(text("SELECT indexname FROM pg_indexes WHERE indexname LIKE '%trgm%'")).all()
        db.engine.dispose()
    assert found == ["20260301000001"] and left == []


def test_the_tables_rewritten_while_a_case_is_open_are_vacuumed_by_dead_rows_not_by_size(empty_database):
    """PostgreSQL: autovacuum's default (a fifth of the table dead) never comes at ten years of cases."""
    import pytest

    if not empty_database.startswith("postgresql"):
        pytest.skip("storage parameters are PostgreSQL's")
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database})
    with app.app_context():
        upgrade()
        db.engine.dispose()
    engine = create_engine(empty_database)
    with engine.connect() as connection:
        options = dict(connection.execute(text(
            "SELECT relname, reloptions FROM pg_class WHERE relname IN ('process_instance', 'task', 'case', 'timer')")).all())
    engine.dispose()
    assert set(options) == {"process_instance", "task", "case", "timer"}
    for table, settings in options.items():
        assert "autovacuum_vacuum_scale_factor=0" in settings and "autovacuum_vacuum_threshold=5000" in settings, table
    assert "fillfactor=80" in options["process_instance"]
