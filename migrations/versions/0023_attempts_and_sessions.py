"""failed sign-ins and access-code lookups counted in the database; staff sessions kept on the server

Revision ID: 0023_attempts_and_sessions
Revises: 0022_follow_up_and_rating
Create Date: 2026-12-07 09:00:00

The lockout counters lived in each worker's memory (N workers allowed N times the guesses); they are rows now,
read by every worker and host. A staff session is a row the cookie names, so that logging out, deactivating a user
or changing their password ends it; cookies signed before this migration name none and sign in again.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0023_attempts_and_sessions'
down_revision = '0022_follow_up_and_rating'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'failed_attempt',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('subject', sa.String(length=64), nullable=False),
        sa.Column('address', sa.String(length=64), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_failed_attempt_subject', 'failed_attempt', ['kind', 'subject', 'at'])
    op.create_index('ix_failed_attempt_address', 'failed_attempt', ['kind', 'address', 'at'])
    op.create_table(
        'staff_session',
        sa.Column('id', sa.String(length=64), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('address', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['user.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_staff_session_user_id', 'staff_session', ['user_id'])


def downgrade():
    op.drop_index('ix_staff_session_user_id', table_name='staff_session')
    op.drop_table('staff_session')
    op.drop_index('ix_failed_attempt_address', table_name='failed_attempt')
    op.drop_index('ix_failed_attempt_subject', table_name='failed_attempt')
    op.drop_table('failed_attempt')
