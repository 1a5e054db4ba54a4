"""repeats (重复件): a case registered as a repeat of an open one, handled by it

Revision ID: 0034_repeats
Revises: 0033_petitioner_records
Create Date: 2026-12-07 04:00:00
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0034_repeats'
down_revision = '0033_petitioner_records'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == 'sqlite':  # SQLite adds a column's reference only inline (no copy of "case")
        op.execute('ALTER TABLE "case" ADD COLUMN repeat_of_id INTEGER '
                   'CONSTRAINT fk_case_repeat_of_id_case REFERENCES "case" (id)')
    else:
        op.add_column('case', sa.Column('repeat_of_id', sa.Integer(), nullable=True))
        op.create_foreign_key('fk_case_repeat_of_id_case', 'case', 'case', ['repeat_of_id'], ['id'])
    op.create_index('ix_case_repeat_of_id', 'case', ['repeat_of_id'])


def downgrade():
    op.drop_index('ix_case_repeat_of_id', table_name='case')
    op.drop_column('case', 'repeat_of_id')  # in place (SQLite 3.35+): no copy of "case"
