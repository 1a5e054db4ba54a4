"""task offers: a task the diagram names several candidate users for is offered to each of them

Revision ID: 0046_task_offers
Revises: 0045_what_if_runs
Create Date: 2026-12-07 21:00:00
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0046_task_offers'
down_revision = '0045_what_if_runs'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'task_offer',
        sa.Column('task_id', sa.String(length=36), nullable=False),
        sa.Column('username', sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(['task_id'], ['task.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('task_id', 'username'),
    )
    op.create_index('ix_task_offer_username', 'task_offer', ['username', 'task_id'])


def downgrade():
    op.drop_index('ix_task_offer_username', table_name='task_offer')
    op.drop_table('task_offer')
