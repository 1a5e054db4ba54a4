"""activity times: a case's last step by a person (stalled cases), a task's reassignment time

Existing cases get their newest ledger entry by someone other than the system as their last activity.

Revision ID: 0010_activity_times
Revises: 0009_case_reviews
Create Date: 2026-11-22 22:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010_activity_times'
down_revision = '0009_case_reviews'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_activity_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_case_last_activity_at'), ['last_activity_at'], unique=False)
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reassigned_at', sa.DateTime(timezone=True), nullable=True))
    op.execute(
        'UPDATE "case" SET last_activity_at = (SELECT max(l.at) FROM ledger_entry l '
        "WHERE l.case_id = \"case\".id AND l.actor <> 'system')"
    )


def downgrade():
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.drop_column('reassigned_at')
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_last_activity_at'))
        batch_op.drop_column('last_activity_at')
