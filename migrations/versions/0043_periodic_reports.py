"""the periodic reports (monthly, quarterly, annual) as generated: HTML and PDF, one per period

Revision ID: 0043_periodic_reports
Revises: 0042_focus_topic
Create Date: 2026-12-07 13:30:00
"""
from alembic import op
import sqlalchemy as sa

from app.models.types import UTCDateTime


# revision identifiers, used by Alembic.
revision = '0043_periodic_reports'
down_revision = '0042_focus_topic'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'periodic_report',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=7), nullable=False),
        sa.Column('period', sa.String(length=7), nullable=False),
        sa.Column('first', sa.Date(), nullable=False),
        sa.Column('last', sa.Date(), nullable=False),
        sa.Column('html', sa.Text(), nullable=False),
        sa.Column('pdf', sa.LargeBinary(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('generated_by', sa.String(length=64), nullable=False),
        sa.Column('generated_at', UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('uq_periodic_report_period', 'periodic_report', ['kind', 'period'], unique=True)


def downgrade():
    op.drop_index('uq_periodic_report_period', table_name='periodic_report')
    op.drop_table('periodic_report')
