"""text search of cases (FTS5 trigram on SQLite, pg_trgm on PostgreSQL) and the console's partial indexes

Revision ID: 0017_text_search
Revises: 0016_compact_state
Create Date: 2026-11-23 01:00:00

"""
from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = '0017_text_search'
down_revision = '0016_compact_state'
branch_labels = None
depends_on = None

# As in app/models/search.py at this revision (a migration keeps its own copy: it must not change later).
SEARCH_TABLE = 'case_search'
TRGM_INDEXES = ('ix_case_title_trgm', 'ix_case_number_trgm')
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
POSTGRES_EXTENSION = "CREATE EXTENSION IF NOT EXISTS pg_trgm"
POSTGRES_CREATE = (
    'CREATE INDEX IF NOT EXISTS ix_case_title_trgm ON "case" USING gin (title gin_trgm_ops)',
    'CREATE INDEX IF NOT EXISTS ix_case_number_trgm ON "case" USING gin (number gin_trgm_ops)',
)
OPEN_TASK = "state IN ('ready', 'claimed')"
OPEN_CASE = sa.text("status NOT IN ('closed', 'rejected', 'withdrawn')")
PARTIAL = {  # name: (table, columns, condition)
    'ix_task_open_at_risk': ('task', ['due_at', 'created_at', 'id'], sa.text(f"{OPEN_TASK} AND sla_state = 'at_risk'")),
    'ix_task_open_unassigned': ('task', ['created_at', 'id'], sa.text(f"{OPEN_TASK} AND assignee IS NULL")),
    'ix_task_open_assignee_created': ('task', ['assignee', 'created_at', 'id'], sa.text(OPEN_TASK)),
    'ix_task_open_case': ('task', ['case_id', 'id'], sa.text(OPEN_TASK)),
    'ix_case_open_activity': ('case', ['last_activity_at', 'id'], OPEN_CASE),
    'ix_process_instance_running': ('process_instance', ['process_version_id'], sa.text("NOT completed")),
}


def upgrade():
    for name, (table, columns, where) in PARTIAL.items():
        op.create_index(name, table, columns, unique=False, sqlite_where=where, postgresql_where=where)
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(POSTGRES_EXTENSION)
        for statement in POSTGRES_CREATE:
            op.execute(statement)
    else:
        for statement in SQLITE_CREATE:
            op.execute(statement)
        op.execute(f"INSERT INTO {SEARCH_TABLE} ({SEARCH_TABLE}) VALUES ('rebuild')")  # the cases already there


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        for name in TRGM_INDEXES:
            op.execute(f'DROP INDEX IF EXISTS {name}')
    else:
        for trigger in ('case_search_insert', 'case_search_delete', 'case_search_update'):
            op.execute(f'DROP TRIGGER IF EXISTS {trigger}')
        op.execute(f'DROP TABLE IF EXISTS {SEARCH_TABLE}')
    for name, (table, _columns, _where) in reversed(PARTIAL.items()):
        op.drop_index(name, table_name=table)
