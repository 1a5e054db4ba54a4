"""saved inbox filters (private or shared with a group) and task form drafts

Revision ID: 0011_saved_filters_drafts
Revises: 0010_activity_times
Create Date: 2026-11-22 22:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011_saved_filters_drafts'
down_revision = '0010_activity_times'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'saved_filter',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('owner', sa.String(length=64), nullable=False),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('filters', sa.JSON(), nullable=False),
        sa.Column('shared_with', sa.String(length=100), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_saved_filter')),
        sa.UniqueConstraint('owner', 'name', name='uq_saved_filter_owner_name'),
    )
    op.create_index('ix_saved_filter_shared_with', 'saved_filter', ['shared_with'], unique=False)
    op.create_table(
        'task_draft',
        sa.Column('task_id', sa.String(length=36), nullable=False),
        sa.Column('username', sa.String(length=64), nullable=False),
        sa.Column('data', sa.JSON(), nullable=False),
        sa.Column('saved_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['task_id'], ['task.id'], name=op.f('fk_task_draft_task_id_task')),
        sa.PrimaryKeyConstraint('task_id', 'username', name=op.f('pk_task_draft')),
    )


def downgrade():
    op.drop_table('task_draft')
    op.drop_index('ix_saved_filter_shared_with', table_name='saved_filter')
    op.drop_table('saved_filter')
