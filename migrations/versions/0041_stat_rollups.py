"""the figures' rollups (by day and month), each case's contribution, the cases waiting to be folded in, and the
appeals against counting (申诉)

Revision ID: 0041_stat_rollups
Revises: 0040_open_task_indexes_case
Create Date: 2026-12-07 10:00:00
"""
from alembic import op
import sqlalchemy as sa

from app.models.types import UTCDateTime


# revision identifiers, used by Alembic.
revision = '0041_stat_rollups'
down_revision = '0040_open_task_indexes_case'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'stat_rollup',
        sa.Column('grain', sa.String(length=5), nullable=False),
        sa.Column('start', sa.Date(), nullable=False),
        sa.Column('department_id', sa.Integer(), nullable=False),
        sa.Column('category', sa.String(length=20), nullable=False),
        sa.Column('channel', sa.String(length=20), nullable=False),
        sa.Column('confidential', sa.Boolean(), nullable=False),
        sa.Column('received', sa.Integer(), nullable=False),
        sa.Column('accepted', sa.Integer(), nullable=False),
        sa.Column('not_accepted', sa.Integer(), nullable=False),
        sa.Column('answered', sa.Integer(), nullable=False),
        sa.Column('closed', sa.Integer(), nullable=False),
        sa.Column('withdrawn', sa.Integer(), nullable=False),
        sa.Column('repeats', sa.Integer(), nullable=False),
        sa.Column('reviews', sa.Integer(), nullable=False),
        sa.Column('extensions', sa.Integer(), nullable=False),
        sa.Column('breaches', sa.Integer(), nullable=False),
        sa.Column('notices', sa.Integer(), nullable=False),
        sa.Column('escalations', sa.Integer(), nullable=False),
        sa.Column('rehandled', sa.Integer(), nullable=False),
        sa.Column('on_time_n', sa.Integer(), nullable=False),
        sa.Column('on_time_d', sa.Integer(), nullable=False),
        sa.Column('response_n', sa.Integer(), nullable=False),
        sa.Column('response_d', sa.Integer(), nullable=False),
        sa.Column('resolved', sa.Integer(), nullable=False),
        sa.Column('not_resolved', sa.Integer(), nullable=False),
        sa.Column('rated_1', sa.Integer(), nullable=False),
        sa.Column('rated_2', sa.Integer(), nullable=False),
        sa.Column('rated_3', sa.Integer(), nullable=False),
        sa.Column('rated_4', sa.Integer(), nullable=False),
        sa.Column('rated_5', sa.Integer(), nullable=False),
        sa.Column('open_delta', sa.Integer(), nullable=False),
        sa.Column('overdue_delta', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('grain', 'start', 'department_id', 'category', 'channel', 'confidential'),
    )
    op.create_table(
        'stat_handling',
        sa.Column('grain', sa.String(length=5), nullable=False),
        sa.Column('start', sa.Date(), nullable=False),
        sa.Column('department_id', sa.Integer(), nullable=False),
        sa.Column('category', sa.String(length=20), nullable=False),
        sa.Column('channel', sa.String(length=20), nullable=False),
        sa.Column('confidential', sa.Boolean(), nullable=False),
        sa.Column('days', sa.Integer(), nullable=False),
        sa.Column('cases', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('grain', 'start', 'department_id', 'category', 'channel', 'confidential', 'days'),
    )
    op.create_table(
        'stat_node',
        sa.Column('grain', sa.String(length=5), nullable=False),
        sa.Column('start', sa.Date(), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('node_id', sa.Integer(), nullable=False),
        sa.Column('department_id', sa.Integer(), nullable=False),
        sa.Column('confidential', sa.Boolean(), nullable=False),
        sa.Column('cases', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('grain', 'start', 'kind', 'node_id', 'department_id', 'confidential'),
    )
    op.create_table(
        'stat_case',
        sa.Column('case_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('contribution', sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint('case_id'),
    )
    op.create_table(
        'stat_pending',
        sa.Column('case_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('mark', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('case_id'),
    )
    op.create_table(
        'counting_appeal',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), sa.ForeignKey('case.id'), nullable=False),
        sa.Column('department_id', sa.Integer(), sa.ForeignKey('department.id'), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('filed_by', sa.String(length=64), nullable=False),
        sa.Column('filed_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('state', sa.String(length=10), nullable=False),
        sa.Column('decided_by', sa.String(length=64), nullable=True),
        sa.Column('decided_at', UTCDateTime(timezone=True), nullable=True),
        sa.Column('decision', sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_counting_appeal_state', 'counting_appeal', ['state', 'filed_at'])
    op.create_index('ix_counting_appeal_case', 'counting_appeal', ['case_id'])
    open_ = sa.text("state IN ('pending', 'upheld')")
    op.create_index('uq_counting_appeal_open', 'counting_appeal', ['case_id', 'department_id'], unique=True,
                    sqlite_where=open_, postgresql_where=open_)
    # every case there is waits to be counted: the job folds them in (`minyi stats rebuild` does it at once)
    op.execute("INSERT INTO stat_pending (case_id, mark) SELECT id, 1 FROM \"case\"")


def downgrade():
    op.drop_index('uq_counting_appeal_open', table_name='counting_appeal')
    op.drop_index('ix_counting_appeal_case', table_name='counting_appeal')
    op.drop_index('ix_counting_appeal_state', table_name='counting_appeal')
    for table in ('counting_appeal', 'stat_pending', 'stat_case', 'stat_node', 'stat_handling', 'stat_rollup'):
        op.drop_table(table)
