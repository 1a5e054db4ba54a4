"""Substring search on case title and number, kept by the database itself.

SQLite: an FTS5 table with the trigram tokenizer over "case" (external content, so the text is stored
once), kept in step by triggers. PostgreSQL: pg_trgm GIN indexes, which serve LIKE/ILIKE '%...%'.
Neither is a mapped table or a plain index, so they are created here on `create_all` (tests, benchmarks)
and by migration 0016 on a migrated database; `SEARCH_OBJECTS` lets the schema comparison skip them.
"""

from __future__ import annotations

from sqlalchemy import DDL, event

from .case import Case

SEARCH_TABLE = "case_search"
TRGM_INDEXES = ("ix_case_title_trgm", "ix_case_number_trgm")

SQLITE_CREATE = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {SEARCH_TABLE} USING fts5("
    "number, title, content='case', content_rowid='id', tokenize='trigram')",
    f"CREATE TRIGGER IF NOT EXISTS case_search_insert AFTER INSERT ON \"case\" BEGIN "
    f"INSERT INTO {SEARCH_TABLE} (rowid, number, title) VALUES (new.id, new.number, new.title); END",
    f"CREATE TRIGGER IF NOT EXISTS case_search_delete AFTER DELETE ON \"case\" BEGIN "
    f"INSERT INTO {SEARCH_TABLE} ({SEARCH_TABLE}, rowid, number, title) VALUES ('delete', old.id, old.number, old.title); END",
    f"CREATE TRIGGER IF NOT EXISTS case_search_update AFTER UPDATE OF number, title ON \"case\" BEGIN "
    f"INSERT INTO {SEARCH_TABLE} ({SEARCH_TABLE}, rowid, number, title) VALUES ('delete', old.id, old.number, old.title); "
    f"INSERT INTO {SEARCH_TABLE} (rowid, number, title) VALUES (new.id, new.number, new.title); END",
)
SQLITE_DROP = (f"DROP TABLE IF EXISTS {SEARCH_TABLE}",)  # the triggers go with "case"
POSTGRES_EXTENSION = "CREATE EXTENSION IF NOT EXISTS pg_trgm"
POSTGRES_CREATE = (
    'CREATE INDEX IF NOT EXISTS ix_case_title_trgm ON "case" USING gin (title gin_trgm_ops)',
    'CREATE INDEX IF NOT EXISTS ix_case_number_trgm ON "case" USING gin (number gin_trgm_ops)',
)


def is_search_object(name: str | None) -> bool:
    """The FTS table and its shadow tables, and the trigram indexes: not in the models, on purpose."""
    return bool(name) and (name == SEARCH_TABLE or name.startswith(SEARCH_TABLE + "_") or name in TRGM_INDEXES)


def _install() -> None:
    table = Case.__table__
    event.listen(table, "before_create", DDL(POSTGRES_EXTENSION).execute_if(dialect="postgresql"))
    for statement in POSTGRES_CREATE:
        event.listen(table, "after_create", DDL(statement).execute_if(dialect="postgresql"))
    for statement in SQLITE_CREATE:
        event.listen(table, "after_create", DDL(statement).execute_if(dialect="sqlite"))
    for statement in SQLITE_DROP:
        event.listen(table, "before_drop", DDL(statement).execute_if(dialect="sqlite"))


_install()
