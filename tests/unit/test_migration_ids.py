"""Every migration's id fits the column alembic keeps it in (alembic_version.version_num is
VARCHAR(32); PostgreSQL refuses a longer id, SQLite silently accepts it)."""

from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


def test_every_revision_id_fits_alembic_version_num():
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    revisions = list(ScriptDirectory.from_config(config).walk_revisions())
    assert len(revisions) >= 26
    too_long = [r.revision for r in revisions if len(r.revision) > 32]
    assert too_long == []
