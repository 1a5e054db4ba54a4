"""case reviews: a review (复查) or re-review (复核) case links to the case it reviews (each case at most once)

Revision ID: 0009_case_reviews
Revises: 0008_accounts_access_codes
Create Date: 2026-11-22 22:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009_case_reviews'
down_revision = '0008_accounts_access_codes'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('review_of_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('review_level', sa.String(length=10), nullable=True))
        batch_op.create_index(batch_op.f('ix_case_review_of_id'), ['review_of_id'], unique=True)
        batch_op.create_foreign_key(batch_op.f('fk_case_review_of_id_case'), 'case', ['review_of_id'], ['id'])


def downgrade():
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_case_review_of_id_case'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_case_review_of_id'))
        batch_op.drop_column('review_level')
        batch_op.drop_column('review_of_id')
