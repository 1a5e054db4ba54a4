"""SLA policy rows in the timer table, supervision notices, incidents, the case deadline's unit

Timers: rows now have a kind ('bpmn' for BPMN timer events; 'warning', 'breach', 'escalation' for
the SLA policy of user tasks), the user task they belong to and the unit a pause moves them by. The
old `role` column (a BPMN property of the boundary timers that carried SLA clocks before) goes;
existing rows are BPMN timers measured in calendar time, which is what they become.

Revision ID: 0007_sla_notices_incidents
Revises: 0006_versions_catalogue
Create Date: 2026-11-22 21:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007_sla_notices_incidents'
down_revision = '0006_versions_catalogue'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('timer', schema=None) as batch_op:
        batch_op.alter_column('id', existing_type=sa.String(length=36), type_=sa.String(length=64), existing_nullable=False)
        batch_op.add_column(sa.Column('kind', sa.String(length=20), nullable=False, server_default='bpmn'))
        batch_op.add_column(sa.Column('task_id', sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column('unit', sa.String(length=10), nullable=False, server_default='calendar'))
        batch_op.create_index(batch_op.f('ix_timer_task_id'), ['task_id'], unique=False)
        batch_op.drop_column('role')

    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('due_unit', sa.String(length=10), nullable=False, server_default='calendar'))

    op.create_table('notice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.String(length=36), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('addressee_group', sa.String(length=100), nullable=True),
    sa.Column('addressee_user', sa.String(length=64), nullable=True),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('reply_by', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reply', sa.Text(), nullable=True),
    sa.Column('replied_by', sa.String(length=64), nullable=True),
    sa.Column('replied_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_notice_case_id_case')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notice'))
    )
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notice_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notice_task_id'), ['task_id'], unique=False)
        batch_op.create_index('ix_notice_replied_reply_by', ['replied_at', 'reply_by'], unique=False)

    op.create_table('incident',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('instance_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('retries', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_failed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('next_retry_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_incident_case_id_case')),
    sa.ForeignKeyConstraint(['instance_id'], ['process_instance.id'], name=op.f('fk_incident_instance_id_process_instance')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incident'))
    )
    with op.batch_alter_table('incident', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incident_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_incident_instance_id'), ['instance_id'], unique=False)
        batch_op.create_index('ix_incident_open', ['resolved_at', 'next_retry_at'], unique=False)


def downgrade():
    op.drop_table('incident')
    op.drop_table('notice')
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.drop_column('due_unit')
    with op.batch_alter_table('timer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('role', sa.String(length=50), nullable=True))
        batch_op.drop_index(batch_op.f('ix_timer_task_id'))
        batch_op.drop_column('unit')
        batch_op.drop_column('task_id')
        batch_op.drop_column('kind')
        batch_op.alter_column('id', existing_type=sa.String(length=64), type_=sa.String(length=36), existing_nullable=False)
