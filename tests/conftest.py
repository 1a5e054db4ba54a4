"""Fixtures in the flaskr shape: app, client, runner, plus staff with API tokens.

One schema per test session (create_all); every test starts from emptied tables with the
reference data the migration seeds. DATABASE_URL selects the database (SQLite file by default).
"""

from __future__ import annotations

import os
import threading
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text
from werkzeug.serving import make_server

from app import clock, create_app
from app.cases import reference
from app.cases.bootstrap import ensure_reference_data
from app.cases.intake.registration import forget_reserved_numbers
from app.cases.people.departments import create_department
from app.cases.people.tokens import issue_token
from app.cases.people.users import create_user
from app.cases.procedures.catalogue import bind_categories_to_their_processes
from app.cases.procedures.processes import deploy_bpmn, forget_version_caches
from app.extensions import db, limiter
from tests.helpers import COMPLAINT, FROZEN_AT

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def _app(tmp_path_factory):
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url if not url.startswith("postgresql://")
                      else url.replace("postgresql://", "postgresql+psycopg://", 1),
                      "MINYI_ATTACHMENTS_DIR": str(tmp_path_factory.mktemp("attachments")),
                      "MINYI_MAIL_DIR": str(tmp_path_factory.mktemp("mail"))})
    with app.app_context():
        db.drop_all()
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture
def app(_app):
    with _app.app_context():
        _empty_tables()
        ensure_reference_data()
        reference.forget()
        forget_reserved_numbers()
        forget_version_caches()
        limiter.reset()  # no test is throttled by the lookups of another
        yield _app
        db.session.remove()


def _empty_tables():
    tables = list(reversed(db.metadata.sorted_tables))
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture
def live_server(app):
    """The app on a real server on loopback (threads), for browsers and HTTP clients from outside."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def deployed(app):
    """The shipped processes, deployed, and each category bound to the process of its name (as the demo seed does)."""
    for path in sorted((ROOT / "processes").glob("*.bpmn")):
        deploy_bpmn(path.read_bytes(), path.name, "test")
    bind_categories_to_their_processes("test")


class Staff:
    """Creates users on demand and hands out their bearer headers."""

    def __init__(self):
        self._tokens: dict[str, str] = {}

    def add(self, username: str, *roles: str, department: str | None = None) -> dict[str, str]:
        if username not in self._tokens:
            create_user(username, list(roles), department, password=None)
            self._tokens[username] = issue_token(username)
        return self.headers(username)

    def headers(self, username: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._tokens[username]}"}


@pytest.fixture
def staff(app):
    """Departments ENV and HOUSING, and one user per working role (ENV staff for department roles)."""
    create_department("ENV", "生态环境科")
    create_department("HOUSING", "住房保障科")
    s = Staff()
    s.add("intake1", "intake")
    s.add("handler1", "handler", department="ENV")
    s.add("handler2", "handler", department="ENV")
    s.add("housing1", "handler", department="HOUSING")
    s.add("head1", "head", department="ENV")
    s.add("leader1", "leader")
    s.add("super1", "supervisor")
    s.add("owner1", "owner")
    s.add("analyst1", "analyst")
    return s


@pytest.fixture
def complaint():
    return dict(COMPLAINT, petitioner=dict(COMPLAINT["petitioner"]))




@pytest.fixture
def frozen():
    """The app clock (and SpiffWorkflow's timers) stopped at FROZEN_AT; tests move it on."""
    clock.freeze(FROZEN_AT)
    yield FROZEN_AT
    clock.reset()


@pytest.fixture
def empty_database(tmp_path):
    """The URL of a new, empty database of the kind the suite runs on; removed afterwards."""
    server = os.environ.get("DATABASE_URL", "")
    if not server.startswith("postgresql"):
        yield f"sqlite:///{tmp_path / 'migrated.sqlite3'}"
        return
    admin_url = make_url(server.replace("postgresql://", "postgresql+psycopg://", 1))
    name = f"minyi_migrations_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
