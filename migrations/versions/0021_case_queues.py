"""who else may see a case: the queues outside its department that held one of its tasks; a department's cases by id

Revision ID: 0021_case_queues
Revises: 0020_calendar_day_unit
Create Date: 2026-12-06 22:00:00

Department staff (handler, head, mediator) see their department's cases and the cases one of whose tasks was in
one of their queues (app/cases/policy.py). The second part, asked of every case a list reads, needs a table:
`case_queue` holds the queues a case's own department does not imply. It is filled here from the tasks so far.
The cases list of a department is read through (department_id, id), newest first.
"""
from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = '0021_case_queues'
down_revision = '0020_calendar_day_unit'
branch_labels = None
depends_on = None

DEPARTMENT_BOUND = ('handler', 'head', 'mediator')


def upgrade():
    op.create_table(
        'case_queue',
        sa.Column('case_id', sa.Integer(), sa.ForeignKey('case.id'), primary_key=True),
        sa.Column('queue', sa.String(length=100), primary_key=True),
    )
    op.create_index('ix_case_queue_queue', 'case_queue', ['queue', 'case_id'])
    roles = " OR ".join(f"t.\"group\" = '{r}' OR t.\"group\" LIKE '{r}@%'" for r in DEPARTMENT_BOUND)
    op.execute(f"""
        INSERT INTO case_queue (case_id, queue)
        SELECT DISTINCT t.case_id, t."group" FROM task t
        JOIN "case" c ON c.id = t.case_id LEFT JOIN department d ON d.id = c.department_id
        WHERE ({roles})
          AND (d.code IS NULL OR substr(t."group", length(t."group") - length(d.code)) <> '@' || d.code)
    """)
    op.drop_index('ix_case_department_id', table_name='case')
    op.create_index('ix_case_department', 'case', ['department_id', 'id'])


def downgrade():
    op.drop_index('ix_case_department', table_name='case')
    op.create_index('ix_case_department_id', 'case', ['department_id'])
    op.drop_index('ix_case_queue_queue', table_name='case_queue')
    op.drop_table('case_queue')
