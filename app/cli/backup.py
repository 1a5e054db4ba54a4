"""`minyi backup PATH` and `minyi restore PATH`: the whole database, with its own tools."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import with_appcontext


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(path: Path):
    """Write a consistent copy of the database to PATH (SQLite: online backup; PostgreSQL: pg_dump, custom format)."""
    from app.extensions import db
    from app.maintenance import BackupError, backup

    try:
        backup(db.engine, path)
    except BackupError as exc:
        sys.exit(f"error: {exc}")
    click.echo(f"backup written to {path} ({path.stat().st_size} bytes)")


@click.command("restore")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def restore_command(path: Path):
    """Load a backup into this (empty) database (SQLite: backup API; PostgreSQL: pg_restore)."""
    from app.extensions import db
    from app.maintenance import BackupError, restore

    try:
        restore(db.engine, path)
    except BackupError as exc:
        sys.exit(f"error: {exc}")
    click.echo(f"restored {path} into {db.engine.url.render_as_string(hide_password=True)}")
