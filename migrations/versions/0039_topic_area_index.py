"""a topic's cases by area and date of receipt (the same matter in the same place at intake); it serves the
topic-only lookups of ix_case_topic_id, which goes

Revision ID: 0039_topic_area_index
Revises: 0038_confidential_cases
Create Date: 2026-12-07 07:00:00
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0039_topic_area_index'
down_revision = '0038_confidential_cases'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_case_topic_area_received', 'case', ['topic_id', 'area_id', 'received_at'])
    op.drop_index('ix_case_topic_id', table_name='case')


def downgrade():
    op.create_index('ix_case_topic_id', 'case', ['topic_id'])
    op.drop_index('ix_case_topic_area_received', table_name='case')
