"""confidential cases: the flag on the case (the few flagged ones indexed) and what each access-log row saw

Revision ID: 0038_confidential_cases
Revises: 0037_petitioner_name_index
Create Date: 2026-12-07 06:00:00
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0038_confidential_cases'
down_revision = '0037_petitioner_name_index'
branch_labels = None
depends_on = None


def upgrade():
    # a constant default: PostgreSQL 11+ adds the column without rewriting the table
    op.add_column('case', sa.Column('confidential', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_index('ix_case_confidential', 'case', ['id'], sqlite_where=sa.text('confidential'),
                    postgresql_where=sa.text('confidential'))
    op.add_column('personal_data_access', sa.Column('what', sa.String(12), nullable=False,
                                                    server_default='petitioner'))


def downgrade():
    op.drop_column('personal_data_access', 'what')
    op.drop_index('ix_case_confidential', table_name='case')
    op.drop_column('case', 'confidential')
