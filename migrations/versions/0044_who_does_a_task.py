"""who does a task: a lane (or a diagram's candidate group) may map to a role at a fixed department, and each process
has a default group for the tasks its diagram gives to nobody

Revision ID: 0044_who_does_a_task
Revises: 0043_periodic_reports
Create Date: 2026-12-07 16:00:00
"""
from alembic import op
import sqlalchemy as sa

from app.models.types import UTCDateTime


# revision identifiers, used by Alembic.
revision = '0044_who_does_a_task'
down_revision = '0043_periodic_reports'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('lane_group') as batch:
        batch.add_column(sa.Column('department', sa.String(length=32), nullable=True))
    op.create_table(
        'process_setting',
        sa.Column('key', sa.String(length=100), nullable=False),
        sa.Column('default_group', sa.String(length=100), nullable=True),
        sa.Column('updated_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('updated_by', sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint('key'),
    )


def downgrade():
    op.drop_table('process_setting')
    with op.batch_alter_table('lane_group') as batch:
        batch.drop_column('department')
