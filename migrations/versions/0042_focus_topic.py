"""the month's focus topic (每月一题), marked by leadership; rows are only added (the latest of a month holds)

Revision ID: 0042_focus_topic
Revises: 0041_stat_rollups
Create Date: 2026-12-07 13:00:00
"""
from alembic import op
import sqlalchemy as sa

from app.models.types import UTCDateTime


# revision identifiers, used by Alembic.
revision = '0042_focus_topic'
down_revision = '0041_stat_rollups'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'focus_topic',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('month', sa.Date(), nullable=False),
        sa.Column('topic_id', sa.Integer(), sa.ForeignKey('tree_node.id'), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('set_by', sa.String(length=64), nullable=False),
        sa.Column('set_at', UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_focus_topic_month', 'focus_topic', ['month', 'id'])


def downgrade():
    op.drop_index('ix_focus_topic_month', table_name='focus_topic')
    op.drop_table('focus_topic')
