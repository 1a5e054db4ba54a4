"""the cases list by every filter, newest first; two-character title search

Revision ID: 0026_case_list_search
Revises: 0025_case_numbers_per_day
Create Date: 2026-12-07 12:00:00

The cases list reads pages in keyset order (a cursor instead of OFFSET); each filter gets an index keyed on id so a
page reads the newest matches and stops. Titles get their two-character pieces (`title_bigrams`), searched through
a second FTS5 table on SQLite and a GIN index over their array on PostgreSQL: two-character words and names
(噪音, 张三) were refused before (trigrams need three).
"""
from itertools import pairwise

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0026_case_list_search'
down_revision = '0025_case_numbers_per_day'
branch_labels = None
depends_on = None

INDEXES = {  # as in app/models/case.py at this revision
    'ix_case_status_id': ['status', 'id'],
    'ix_case_category_id': ['category', 'id'],
    'ix_case_channel_id': ['channel', 'id'],
    'ix_case_department_status': ['department_id', 'status', 'id'],
    'ix_case_received_id': ['received_at', 'id'],
    'ix_case_status_received_id': ['status', 'received_at', 'id'],
    'ix_case_category_received': ['category', 'received_at', 'id'],
    'ix_case_channel_received': ['channel', 'received_at', 'id'],
    'ix_case_department_received': ['department_id', 'received_at', 'id'],
}
BIGRAM_TABLE = 'case_bigram'
SQLITE_CREATE = (
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
POSTGRES_CREATE = ("CREATE INDEX IF NOT EXISTS ix_case_title_bigrams ON \"case\" "
                   "USING gin ((string_to_array(title_bigrams, ' ')))")
BATCH = 5000


def _bigrams(title):
    text = (title or "").casefold()
    seen = {}
    for first, second in pairwise(text):
        if first.isalnum() and second.isalnum():
            seen.setdefault(first + second)
    return " ".join(seen)


def upgrade():
    op.add_column('case', sa.Column('title_bigrams', sa.Text(), nullable=True))
    bind = op.get_bind()
    last = 0
    while True:  # the cases already there, in batches
        rows = bind.execute(sa.text('SELECT id, title FROM "case" WHERE id > :last ORDER BY id LIMIT :n'),
                            {"last": last, "n": BATCH}).all()
        if not rows:
            break
        bind.execute(sa.text('UPDATE "case" SET title_bigrams = :b WHERE id = :id'),
                     [{"b": _bigrams(title), "id": case_id} for case_id, title in rows])
        last = rows[-1][0]
    for name, columns in INDEXES.items():
        op.create_index(name, 'case', columns, unique=False)
    op.drop_index('ix_case_category', table_name='case')
    op.drop_index('ix_case_status_received', table_name='case')  # (status, received_at, id) serves it
    if bind.dialect.name == 'postgresql':
        op.execute(POSTGRES_CREATE)
    else:
        for statement in SQLITE_CREATE:
            op.execute(statement)
        op.execute(f"INSERT INTO {BIGRAM_TABLE} ({BIGRAM_TABLE}) VALUES ('rebuild')")


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP INDEX IF EXISTS ix_case_title_bigrams')
    else:
        for trigger in ('case_bigram_insert', 'case_bigram_delete', 'case_bigram_update'):
            op.execute(f'DROP TRIGGER IF EXISTS {trigger}')
        op.execute(f'DROP TABLE IF EXISTS {BIGRAM_TABLE}')
    op.create_index('ix_case_category', 'case', ['category'], unique=False)
    op.create_index('ix_case_status_received', 'case', ['status', 'received_at'], unique=False)
    for name in reversed(INDEXES):
        op.drop_index(name, table_name='case')
    op.drop_column('case', 'title_bigrams')
