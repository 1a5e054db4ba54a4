"""the follow-up visit's outcome and who gave the rating (or that nobody did); the dates promised to the petitioner

Revision ID: 0022_follow_up_and_rating
Revises: 0021_case_queues
Create Date: 2026-12-07 01:00:00

The shipped processes now record the follow-up visit (回访: resolved / not resolved / could not reach) and close a
case nobody rated within the rating window; the figures to come count both. Cases rated before keep an empty source.
The petitioner is told two dates: acceptance by, and the answer by (changed, with its reason, when the case is
accepted and when the handling period is extended). Open cases get them from their deadline as it stands.
"""
from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = '0022_follow_up_and_rating'
down_revision = '0021_case_queues'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('case', sa.Column('satisfaction_source', sa.String(length=20), nullable=True))
    op.add_column('case', sa.Column('follow_up', sa.String(length=20), nullable=True))
    op.add_column('case', sa.Column('accept_by', sa.DateTime(timezone=True), nullable=True))
    op.add_column('case', sa.Column('answer_by', sa.DateTime(timezone=True), nullable=True))
    # open cases: a registered case's deadline is its acceptance deadline; a handled one's is the answer deadline
    op.execute("UPDATE \"case\" SET accept_by = due_at WHERE status = 'registered'")
    op.execute("UPDATE \"case\" SET answer_by = due_at WHERE status = 'handling'")


def downgrade():
    # SQLite 3.35+ drops a column in place (ALTER TABLE DROP COLUMN): no copy of the table its rows depend on
    op.drop_column('case', 'answer_by')
    op.drop_column('case', 'accept_by')
    op.drop_column('case', 'follow_up')
    op.drop_column('case', 'satisfaction_source')
