"""moving running cases between versions of a process: each migration and each case's outcome, with what a rollback needs

Revision ID: 0014_process_migrations
Revises: 0013_workbench_drafts
Create Date: 2026-11-23 00:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014_process_migrations'
down_revision = '0013_workbench_drafts'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'process_migration',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=100), nullable=False),
        sa.Column('from_version_id', sa.Integer(), nullable=False),
        sa.Column('to_version_id', sa.Integer(), nullable=False),
        sa.Column('created_by', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('total', sa.Integer(), nullable=False),
        sa.Column('migrated', sa.Integer(), nullable=False),
        sa.Column('unsafe', sa.Integer(), nullable=False),
        sa.Column('failed', sa.Integer(), nullable=False),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('rolled_back_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('rolled_back_by', sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(['from_version_id'], ['process_version.id'],
                                name=op.f('fk_process_migration_from_version_id_process_version')),
        sa.ForeignKeyConstraint(['to_version_id'], ['process_version.id'],
                                name=op.f('fk_process_migration_to_version_id_process_version')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_process_migration')),
    )
    with op.batch_alter_table('process_migration', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_process_migration_key'), ['key'], unique=False)
        batch_op.create_index('ux_process_migration_running_key', ['key'], unique=True,
                              sqlite_where=sa.text("status = 'running'"), postgresql_where=sa.text("status = 'running'"))
    op.create_table(
        'case_migration',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('migration_id', sa.Integer(), nullable=False),
        sa.Column('instance_id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('reason', sa.Text(), nullable=True),
        sa.Column('previous_version_id', sa.Integer(), nullable=True),
        sa.Column('previous_state', sa.Text(), nullable=True),
        sa.Column('previous_projections', sa.Text(), nullable=True),
        sa.Column('migrated_lock_version', sa.Integer(), nullable=True),
        sa.Column('migrated_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('rolled_back_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['migration_id'], ['process_migration.id'],
                                name=op.f('fk_case_migration_migration_id_process_migration')),
        sa.ForeignKeyConstraint(['instance_id'], ['process_instance.id'],
                                name=op.f('fk_case_migration_instance_id_process_instance')),
        sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_case_migration_case_id_case')),
        sa.ForeignKeyConstraint(['previous_version_id'], ['process_version.id'],
                                name=op.f('fk_case_migration_previous_version_id_process_version')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_case_migration')),
    )
    with op.batch_alter_table('case_migration', schema=None) as batch_op:
        batch_op.create_index('ix_case_migration_migration_status', ['migration_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_migration_instance_id'), ['instance_id'], unique=False)


def downgrade():
    with op.batch_alter_table('case_migration', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_migration_instance_id'))
        batch_op.drop_index('ix_case_migration_migration_status')
    op.drop_table('case_migration')
    with op.batch_alter_table('process_migration', schema=None) as batch_op:
        batch_op.drop_index('ux_process_migration_running_key', sqlite_where=sa.text("status = 'running'"),
                            postgresql_where=sa.text("status = 'running'"))
        batch_op.drop_index(batch_op.f('ix_process_migration_key'))
    op.drop_table('process_migration')
