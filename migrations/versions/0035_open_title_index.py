"""PostgreSQL: the open cases' titles in their own trigram index, for the repeat candidates at intake

Revision ID: 0035_open_title_index
Revises: 0034_repeats
Create Date: 2026-12-07 04:30:00

A new appeal's similar texts are looked for among the open cases (a repeat joins an open case): a few weeks of a
city, where the whole title index holds ten years. A closed case leaves this index; it costs closed cases nothing.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0035_open_title_index'
down_revision = '0034_repeats'
branch_labels = None
depends_on = None

CREATE = ('CREATE INDEX IF NOT EXISTS ix_case_open_title_trgm ON "case" USING gin (title gin_trgm_ops) '
          "WHERE status NOT IN ('closed', 'rejected', 'withdrawn')")


def upgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(CREATE)


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP INDEX IF EXISTS ix_case_open_title_trgm')
