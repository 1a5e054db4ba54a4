"""partial indexes on open tasks and open cases: lists read by keyset scans that ignore finished work

Revision ID: 0015_open_work_indexes
Revises: 0014_process_migrations
Create Date: 2026-11-23 00:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015_open_work_indexes'
down_revision = '0014_process_migrations'
branch_labels = None
depends_on = None

OPEN_TASK = sa.text("state IN ('ready', 'claimed')")
OPEN_CASE = sa.text("status NOT IN ('closed', 'rejected', 'withdrawn')")


def upgrade():
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.create_index('ix_task_open_group_due', ['group', 'due_at', 'created_at', 'id'], unique=False,
                              sqlite_where=OPEN_TASK, postgresql_where=OPEN_TASK)
        batch_op.create_index('ix_task_open_group_created', ['group', 'created_at', 'id'], unique=False,
                              sqlite_where=OPEN_TASK, postgresql_where=OPEN_TASK)
        batch_op.create_index('ix_task_open_assignee_due', ['assignee', 'due_at', 'created_at', 'id'], unique=False,
                              sqlite_where=OPEN_TASK, postgresql_where=OPEN_TASK)
        batch_op.create_index('ix_task_open_due', ['due_at', 'created_at', 'id'], unique=False,
                              sqlite_where=OPEN_TASK, postgresql_where=OPEN_TASK)
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.create_index('ix_case_open_due', ['due_at'], unique=False,
                              sqlite_where=OPEN_CASE, postgresql_where=OPEN_CASE)


def downgrade():
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.drop_index('ix_case_open_due')
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.drop_index('ix_task_open_due')
        batch_op.drop_index('ix_task_open_assignee_due')
        batch_op.drop_index('ix_task_open_group_created')
        batch_op.drop_index('ix_task_open_group_due')
