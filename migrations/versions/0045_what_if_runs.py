"""what-if runs: a replay of every case of the weeks asked for, run by the scheduler

Revision ID: 0045_what_if_runs
Revises: 0044_who_does_a_task
Create Date: 2026-12-07 19:00:00
"""
from alembic import op
import sqlalchemy as sa

from app.models.types import UTCDateTime


# revision identifiers, used by Alembic.
revision = '0045_what_if_runs'
down_revision = '0044_who_does_a_task'
branch_labels = None
depends_on = None

OPEN = sa.text("state IN ('queued', 'running')")


def upgrade():
    op.create_table(
        'what_if_run',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=100), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('weeks', sa.Integer(), nullable=False),
        sa.Column('state', sa.String(length=20), nullable=False),
        sa.Column('requested_by', sa.String(length=64), nullable=False),
        sa.Column('requested_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('started_at', UTCDateTime(timezone=True), nullable=True),
        sa.Column('heartbeat_at', UTCDateTime(timezone=True), nullable=True),
        sa.Column('finished_at', UTCDateTime(timezone=True), nullable=True),
        sa.Column('replayed', sa.Integer(), nullable=False),
        sa.Column('result', sa.LargeBinary(), nullable=True),
        sa.Column('error', sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_what_if_run_open', 'what_if_run', ['state'], sqlite_where=OPEN, postgresql_where=OPEN)
    op.create_index('ux_what_if_run_open_question', 'what_if_run', ['key', 'version', 'weeks'], unique=True,
                    sqlite_where=OPEN, postgresql_where=OPEN)


def downgrade():
    op.drop_index('ux_what_if_run_open_question', table_name='what_if_run')
    op.drop_index('ix_what_if_run_open', table_name='what_if_run')
    op.drop_table('what_if_run')
