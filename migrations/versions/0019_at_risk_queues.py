"""at-risk tasks per queue and per person: two small partial indexes

Revision ID: 0019_at_risk_queues
Revises: 0018_number_search
Create Date: 2026-11-23 02:30:00

"""
from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = '0019_at_risk_queues'
down_revision = '0018_number_search'
branch_labels = None
depends_on = None

AT_RISK = sa.text("state IN ('ready', 'claimed') AND sla_state = 'at_risk'")
INDEXES = {'ix_task_open_at_risk_group': ['group', 'due_at'], 'ix_task_open_at_risk_assignee': ['assignee', 'due_at']}


def upgrade():
    for name, columns in INDEXES.items():
        op.create_index(name, 'task', columns, unique=False, sqlite_where=AT_RISK, postgresql_where=AT_RISK)


def downgrade():
    for name in reversed(INDEXES):
        op.drop_index(name, table_name='task')
