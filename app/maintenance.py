"""Backup and restore of the whole database, with the tools each database provides.

SQLite: the online backup API (a consistent copy while the app runs). PostgreSQL: `pg_dump` in the
custom format and `pg_restore`. A restore goes into an empty database only: it refuses to mix a
backup with existing data.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from glob import glob
from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.engine import Engine, make_url


class BackupError(Exception):
    """A backup or restore that could not be done; the message says why."""


def backup(engine: Engine, path: Path) -> None:
    """Write a consistent copy of the database to `path` (which must not exist)."""
    if path.exists():
        raise BackupError(f"{path} exists already; choose a new file")
    url = engine.url
    if url.get_backend_name() == "sqlite":
        with sqlite3.connect(_sqlite_file(url)) as source, sqlite3.connect(path) as target:
            source.backup(target)
        return
    _run([_pg_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={path}", _libpq_url(url)], "pg_dump")


def restore(engine: Engine, path: Path) -> None:
    """Load a backup made by `backup` into the (empty) database."""
    if not path.is_file():
        raise BackupError(f"no backup file {path}")
    if inspect(engine).get_table_names():
        raise BackupError("the database is not empty; restore into an empty database")
    engine.dispose()
    url = engine.url
    if url.get_backend_name() == "sqlite":
        with sqlite3.connect(path) as source, sqlite3.connect(_sqlite_file(url)) as target:
            source.backup(target)
        return
    _run([_pg_tool("pg_restore"), "--no-owner", "--exit-on-error", f"--dbname={_libpq_url(url)}", str(path)], "pg_restore")


def _sqlite_file(url) -> str:
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory database cannot be backed up")
    return url.database


def _libpq_url(url) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _pg_tool(name: str) -> str:
    # The newest installed version's own binary first (the Debian wrapper picks versions by cluster).
    found = next(iter(sorted(glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None) or shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client)")
    return found


def _run(command: list[str], tool: str) -> None:
    result = subprocess.run(command, capture_output=True, text=True, timeout=3600)
    if result.returncode != 0:
        raise BackupError(f"{tool} failed: {result.stderr.strip()[:2000]}")
