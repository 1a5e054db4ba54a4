"""case numbers searched by their start and end: byte-order numbers, a reversed copy, no number trigrams

Revision ID: 0018_number_search
Revises: 0017_text_search
Create Date: 2026-11-23 02:00:00

"""
from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = '0018_number_search'
down_revision = '0017_text_search'
branch_labels = None
depends_on = None

SEARCH_TABLE = 'case_search'
TRIGGERS = ('case_search_insert', 'case_search_delete', 'case_search_update')


def _fts(columns):
    """The FTS5 table over "case" and its triggers, as of 0017 (number, title) or from here on (title)."""
    new = ', '.join(f'new.{c}' for c in columns)
    old = ', '.join(f'old.{c}' for c in columns)
    names = ', '.join(columns)
    return (
        f"CREATE VIRTUAL TABLE {SEARCH_TABLE} USING fts5({names}, content='case', content_rowid='id', tokenize='trigram')",
        f'CREATE TRIGGER case_search_insert AFTER INSERT ON "case" BEGIN '
        f"INSERT INTO {SEARCH_TABLE} (rowid, {names}) VALUES (new.id, {new}); END",
        f'CREATE TRIGGER case_search_delete AFTER DELETE ON "case" BEGIN '
        f"INSERT INTO {SEARCH_TABLE} ({SEARCH_TABLE}, rowid, {names}) VALUES ('delete', old.id, {old}); END",
        f'CREATE TRIGGER case_search_update AFTER UPDATE OF {names} ON "case" BEGIN '
        f"INSERT INTO {SEARCH_TABLE} ({SEARCH_TABLE}, rowid, {names}) VALUES ('delete', old.id, {old}); "
        f"INSERT INTO {SEARCH_TABLE} (rowid, {names}) VALUES (new.id, {new}); END",
        f"INSERT INTO {SEARCH_TABLE} ({SEARCH_TABLE}) VALUES ('rebuild')",
    )


def _replace_fts(columns):
    for trigger in TRIGGERS:
        op.execute(f'DROP TRIGGER IF EXISTS {trigger}')
    op.execute(f'DROP TABLE IF EXISTS {SEARCH_TABLE}')
    for statement in _fts(columns):
        op.execute(statement)


def upgrade():
    bind = op.get_bind()
    op.add_column('case', sa.Column('number_reversed', sa.String(length=32), nullable=True))
    if bind.dialect.name == 'postgresql':
        op.execute('DROP INDEX IF EXISTS ix_case_number_trgm')
        op.execute('ALTER TABLE "case" ALTER COLUMN number TYPE VARCHAR(32) COLLATE "C"')
        op.execute('ALTER TABLE "case" ALTER COLUMN number_reversed TYPE VARCHAR(32) COLLATE "C"')
        op.execute('UPDATE "case" SET number_reversed = reverse(number)')
    else:
        bind.connection.driver_connection.create_function('minyi_reverse', 1, lambda s: s[::-1], deterministic=True)
        op.execute('UPDATE "case" SET number_reversed = minyi_reverse(number)')
        _replace_fts(('title',))
    op.create_index('ix_case_number_reversed', 'case', ['number_reversed'], unique=False)


def downgrade():
    bind = op.get_bind()
    op.drop_index('ix_case_number_reversed', table_name='case')
    if bind.dialect.name == 'postgresql':
        op.drop_column('case', 'number_reversed')
        op.execute('ALTER TABLE "case" ALTER COLUMN number TYPE VARCHAR(32) COLLATE "default"')
        op.execute('CREATE INDEX IF NOT EXISTS ix_case_number_trgm ON "case" USING gin (number gin_trgm_ops)')
    else:
        op.drop_column('case', 'number_reversed')  # SQLite 3.35+: ALTER TABLE DROP COLUMN, triggers kept
        _replace_fts(('number', 'title'))
