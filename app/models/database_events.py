"""Connection settings per database: SQLite gets WAL, a busy timeout and foreign keys."""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.engine import Engine


def install(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA foreign_keys=ON")
        # An acknowledged appeal (its number given out) must survive a power cut: durable commits.
        cursor.execute("PRAGMA synchronous=FULL")
        # Space (benchmarks/storage.py): every save rewrites an instance's state; the pages it frees go to the
        # free list and the next writes reuse them (free pages stay under 1 byte per closed case), so the file
        # grows with the data, not with the saves: auto_vacuum stays NONE (INCREMENTAL would only hand pages
        # back to be asked for again, and fragment the file). The WAL restarts after each checkpoint (every
        # ~1,000 pages, ~4 MB) but keeps its largest size; when a long reader held a checkpoint back and it
        # grew, cut it back to 16 MB afterwards.
        cursor.execute("PRAGMA journal_size_limit=16777216")
        cursor.close()
