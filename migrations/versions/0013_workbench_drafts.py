"""the process owners' working copies: a BPMN draft per process and forms edited in the workbench

Revision ID: 0013_workbench_drafts
Revises: 0012_attachments_access_log
Create Date: 2026-11-22 23:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013_workbench_drafts'
down_revision = '0012_attachments_access_log'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'process_draft',
        sa.Column('key', sa.String(length=100), nullable=False),
        sa.Column('bpmn_xml', sa.Text(), nullable=False),
        sa.Column('base_version', sa.Integer(), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_by', sa.String(length=64), nullable=False),
        sa.Column('lock_version', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_process_draft')),
    )
    op.create_table(
        'form_definition',
        sa.Column('form_id', sa.String(length=100), nullable=False),
        sa.Column('source', sa.Text(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_by', sa.String(length=64), nullable=False),
        sa.Column('lock_version', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('form_id', name=op.f('pk_form_definition')),
    )


def downgrade():
    op.drop_table('form_definition')
    op.drop_table('process_draft')
