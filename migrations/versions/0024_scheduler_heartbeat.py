"""the schedulers' heartbeats, for /readyz and the admins' system page

Revision ID: 0024_scheduler_heartbeat
Revises: 0023_attempts_and_sessions
Create Date: 2026-12-07 10:00:00
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0024_scheduler_heartbeat'
down_revision = '0023_attempts_and_sessions'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'scheduler_heartbeat',
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('beat_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('last_sweep_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('fired', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('name'),
    )


def downgrade():
    op.drop_table('scheduler_heartbeat')
