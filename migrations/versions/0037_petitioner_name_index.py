"""the petitioners' names indexed: staff search a person by the name they give

Revision ID: 0037_petitioner_name_index
Revises: 0036_topics_and_areas
Create Date: 2026-12-07 05:00:00
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0037_petitioner_name_index'
down_revision = '0036_topics_and_areas'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_petitioner_name', 'petitioner', ['name'])


def downgrade():
    op.drop_index('ix_petitioner_name', table_name='petitioner')
