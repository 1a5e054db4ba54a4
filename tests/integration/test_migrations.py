"""The named migrations build exactly the schema the models describe, plus the reference data."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import create_engine, text

from app import create_app
from app.extensions import db


def test_upgrade_on_an_empty_database_matches_the_models(tmp_path):
    url = f"sqlite:///{tmp_path / 'migrated.sqlite3'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        db.engine.dispose()
    engine = create_engine(url)
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), db.metadata)
        lanes = connection.execute(text("SELECT lane, role FROM lane_group ORDER BY lane")).all()
        counter = connection.execute(text("SELECT value FROM counter WHERE name = 'case'")).scalar()
    engine.dispose()
    assert diff == []
    assert ("Department", "handler") in lanes and ("Intake", "intake") in lanes
    assert counter == 0
