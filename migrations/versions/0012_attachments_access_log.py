"""attachments of a case (files on disk by SHA-256) and the append-only log of views of unmasked personal data

Revision ID: 0012_attachments_access_log
Revises: 0011_saved_filters_drafts
Create Date: 2026-11-22 22:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012_attachments_access_log'
down_revision = '0011_saved_filters_drafts'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'attachment',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('filename', sa.String(length=200), nullable=False),
        sa.Column('content_type', sa.String(length=100), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('uploaded_by', sa.String(length=64), nullable=False),
        sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_attachment_case_id_case')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_attachment')),
    )
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.create_index('ix_attachment_case', ['case_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attachment_sha256'), ['sha256'], unique=False)
    op.create_table(
        'personal_data_access',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('actor', sa.String(length=64), nullable=False),
        sa.Column('channel', sa.String(length=10), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_personal_data_access_case_id_case')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_personal_data_access')),
    )
    with op.batch_alter_table('personal_data_access', schema=None) as batch_op:
        batch_op.create_index('ix_personal_data_access_case', ['case_id', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('personal_data_access', schema=None) as batch_op:
        batch_op.drop_index('ix_personal_data_access_case')
    op.drop_table('personal_data_access')
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attachment_sha256'))
        batch_op.drop_index('ix_attachment_case')
    op.drop_table('attachment')
