"""the open-task indexes end with case_id: a list hiding the tasks of confidential cases stays an index-only read

Revision ID: 0040_open_task_indexes_case
Revises: 0039_topic_area_index
Create Date: 2026-12-07 08:00:00
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0040_open_task_indexes_case'
down_revision = '0039_topic_area_index'
branch_labels = None
depends_on = None

OPEN = "state IN ('ready', 'claimed')"
AT_RISK = f"{OPEN} AND sla_state = 'at_risk'"
UNASSIGNED = f"{OPEN} AND assignee IS NULL"
INDEXES = {  # name: (columns before, condition); each gains case_id at the end
    'ix_task_open_group_due': (['group', 'due_at', 'created_at', 'id'], OPEN),
    'ix_task_open_group_created': (['group', 'created_at', 'id'], OPEN),
    'ix_task_open_assignee_due': (['assignee', 'due_at', 'created_at', 'id'], OPEN),
    'ix_task_open_due': (['due_at', 'created_at', 'id'], OPEN),
    'ix_task_open_assignee_created': (['assignee', 'created_at', 'id'], OPEN),
    'ix_task_open_at_risk': (['due_at', 'created_at', 'id'], AT_RISK),
    'ix_task_open_unassigned': (['created_at', 'id'], UNASSIGNED),
    'ix_task_open_at_risk_group': (['group', 'due_at'], AT_RISK),
    'ix_task_open_at_risk_assignee': (['assignee', 'due_at'], AT_RISK),
}


def _rebuild(with_case: bool) -> None:
    for name, (columns, condition) in INDEXES.items():
        op.drop_index(name, table_name='task')
        where = sa.text(condition)
        op.create_index(name, 'task', columns + (['case_id'] if with_case else []),
                        sqlite_where=where, postgresql_where=where)


def upgrade():
    _rebuild(True)


def downgrade():
    _rebuild(False)
