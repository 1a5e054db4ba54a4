"""Substring search on case titles, kept by the database itself.

SQLite: an FTS5 table with the trigram tokenizer over "case" (external content, so the text is stored
once), kept in step by triggers. PostgreSQL: a pg_trgm GIN index, which serves ILIKE '%...%'.
Neither is a mapped table or a plain index, so they are created here on `create_all` (tests, benchmarks)
and by migrations 0017 and 0018 on a migrated database; `is_search_object` lets the schema comparison skip them.
Case numbers are not in them: a number is searched by its start or its end (plain indexes, app/cases/lists/search.py).
"""

from __future__ import annotations

from sqlalchemy import DDL, event

from .case import Case

SEARCH_TABLE = "case_search"
TRGM_INDEXES = ("ix_case_title_trgm",)

SQLITE_CREATE = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {SEARCH_TABLE} USING fts5("
    "title, content='case', content_rowid='id', tokenize='trigram')",
    f"CREATE TRIGGER IF NOT EXISTS case_search_insert AFTER INSERT ON \"case\" BEGIN "
    f"INSERT INTO {SEARCH_TABLE} (rowid, title) VALUES (new.id, new.title); END",
    f"CREATE TRIGGER IF NOT EXISTS case_search_delete AFTER DELETE ON \"case\" BEGIN "
    f"INSERT INTO {SEARCH_TABLE} ({SEARCH_TABLE}, rowid, title) VALUES ('delete', old.id, old.title); END",
    f"CREATE TRIGGER IF NOT EXISTS case_search_update AFTER UPDATE OF title ON \"case\" BEGIN "
    f"INSERT INTO {SEARCH_TABLE} ({SEARCH_TABLE}, rowid, title) VALUES ('delete', old.id, old.title); "
    f"INSERT INTO {SEARCH_TABLE} (rowid, title) VALUES (new.id, new.title); END",
)
SQLITE_DROP = (f"DROP TABLE IF EXISTS {SEARCH_TABLE}",)  # the triggers go with "case"
POSTGRES_EXTENSION = "CREATE EXTENSION IF NOT EXISTS pg_trgm"
POSTGRES_CREATE = (
    'CREATE INDEX IF NOT EXISTS ix_case_title_trgm ON "case" USING gin (title gin_trgm_ops)',
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
