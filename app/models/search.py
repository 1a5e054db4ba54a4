"""Substring search on case titles, kept by the database itself.

SQLite: an FTS5 table with the trigram tokenizer over "case" (external content, so the text is stored
once), kept in step by triggers. PostgreSQL: a pg_trgm GIN index, which serves ILIKE '%...%'. Two characters
(most Chinese words and names) make no trigram: the title's two-character pieces (`case.title_bigrams`, written at
registration) are a second FTS5 table (one token each) on SQLite and a GIN index over their array on PostgreSQL.
Neither is a mapped table or a plain index, so they are created here on `create_all` (tests, benchmarks)
and by migrations 0017 and 0018 on a migrated database; `is_search_object` lets the schema comparison skip them.
Case numbers are not in them: a number is searched by its start or its end (plain indexes, app/cases/lists/search.py).
"""

from __future__ import annotations

from itertools import pairwise

from sqlalchemy import DDL, event

from .case import Case

SEARCH_TABLE = "case_search"
BIGRAM_TABLE = "case_bigram"  # SQLite: the titles' two-character pieces, one token each
TRGM_INDEXES = ("ix_case_department_title_trgm", "ix_case_department_title_bigrams", "ix_case_open_title_trgm")

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
SQLITE_CREATE += (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {BIGRAM_TABLE} USING fts5("
    "title_bigrams, content='case', content_rowid='id', tokenize='unicode61')",
    f"CREATE TRIGGER IF NOT EXISTS case_bigram_insert AFTER INSERT ON \"case\" BEGIN "
    f"INSERT INTO {BIGRAM_TABLE} (rowid, title_bigrams) VALUES (new.id, new.title_bigrams); END",
    f"CREATE TRIGGER IF NOT EXISTS case_bigram_delete AFTER DELETE ON \"case\" BEGIN "
    f"INSERT INTO {BIGRAM_TABLE} ({BIGRAM_TABLE}, rowid, title_bigrams) VALUES ('delete', old.id, old.title_bigrams); END",
    f"CREATE TRIGGER IF NOT EXISTS case_bigram_update AFTER UPDATE OF title_bigrams ON \"case\" BEGIN "
    f"INSERT INTO {BIGRAM_TABLE} ({BIGRAM_TABLE}, rowid, title_bigrams) VALUES ('delete', old.id, old.title_bigrams); "
    f"INSERT INTO {BIGRAM_TABLE} (rowid, title_bigrams) VALUES (new.id, new.title_bigrams); END",
)
SQLITE_DROP = (f"DROP TABLE IF EXISTS {SEARCH_TABLE}", f"DROP TABLE IF EXISTS {BIGRAM_TABLE}")  # triggers go with "case"
POSTGRES_EXTENSIONS = ("CREATE EXTENSION IF NOT EXISTS pg_trgm", "CREATE EXTENSION IF NOT EXISTS btree_gin")
# Keyed by department first (btree_gin, migration 0032): a department's search intersects its entry with the text's
# inside the index; a search over every department reads the text's entries alone.
POSTGRES_CREATE = (
    'CREATE INDEX IF NOT EXISTS ix_case_department_title_trgm ON "case" USING gin (department_id, title gin_trgm_ops)',
    # two-character words: the pieces as an array (a GIN index answers "contains this piece")
    "CREATE INDEX IF NOT EXISTS ix_case_department_title_bigrams ON \"case\" "
    "USING gin (department_id, (string_to_array(title_bigrams, ' ')))",
    # the open cases' titles alone, nearest first (GiST): the repeat candidates at intake (migration 0035)
    'CREATE INDEX IF NOT EXISTS ix_case_open_title_trgm ON "case" USING gist (title gist_trgm_ops) '
    "WHERE status NOT IN ('closed', 'rejected', 'withdrawn')",
)


def is_search_object(name: str | None) -> bool:
    """The FTS tables and their shadow tables, and the trigram and bigram indexes: not in the models, on purpose."""
    return bool(name) and (any(name == t or name.startswith(t + "_") for t in (SEARCH_TABLE, BIGRAM_TABLE))
                           or name in TRGM_INDEXES)


def title_bigrams(title: str | None) -> str:
    """The title's pieces of two characters (lower-case), space-separated, each once: "夜间施工" -> "夜间 间施 施工".
    A piece with a space or a punctuation mark in it is left out (nobody searches for one)."""
    text = (title or "").casefold()
    seen: dict[str, None] = {}
    for first, second in pairwise(text):
        if first.isalnum() and second.isalnum():
            seen.setdefault(first + second)
    return " ".join(seen)


@event.listens_for(Case.title, "set")
def _title_changed(target: Case, value, _old, _initiator) -> None:
    """A title changed through the ORM takes its pieces along (registration writes both as one row)."""
    target.title_bigrams = title_bigrams(value)


def _install() -> None:
    table = Case.__table__
    for statement in POSTGRES_EXTENSIONS:
        event.listen(table, "before_create", DDL(statement).execute_if(dialect="postgresql"))
    for statement in POSTGRES_CREATE:
        event.listen(table, "after_create", DDL(statement).execute_if(dialect="postgresql"))
    for statement in SQLITE_CREATE:
        event.listen(table, "after_create", DDL(statement).execute_if(dialect="sqlite"))
    for statement in SQLITE_DROP:
        event.listen(table, "before_drop", DDL(statement).execute_if(dialect="sqlite"))


_install()
