"""petitioner records: one person across cases, found by keyed hashes of phone, e-mail and ID number; merges kept

Revision ID: 0033_petitioner_records
Revises: 0032_search_by_department
Create Date: 2026-12-07 03:40:00

The cases registered before keep no person until `minyi people link` has linked them (it needs the key, which
lives in the configuration, not in a migration).
"""
from alembic import op
import sqlalchemy as sa

from app.models.types import UTCDateTime


# revision identifiers, used by Alembic.
revision = '0033_petitioner_records'
down_revision = '0032_search_by_department'
branch_labels = None
depends_on = None

ROOT = sa.text("merged_into_id IS NULL")
KEYS = ('phone_key', 'email_key', 'id_number_key')


def upgrade():
    op.create_table(
        'person',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('phone_key', sa.String(length=32), nullable=True),
        sa.Column('email_key', sa.String(length=32), nullable=True),
        sa.Column('id_number_key', sa.String(length=32), nullable=True),
        sa.Column('merged_into_id', sa.Integer(), nullable=True),
        sa.Column('created_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('last_seen_at', UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['merged_into_id'], ['person.id'], name=op.f('fk_person_merged_into_id_person')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_person')),
    )
    for key in KEYS:
        op.create_index(f'uq_person_{key}', 'person', [key], unique=True, sqlite_where=ROOT, postgresql_where=ROOT)
        op.create_index(f'ix_person_{key}', 'person', [key])
    op.create_table(
        'person_merge',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('into_id', sa.Integer(), nullable=False),
        sa.Column('actor', sa.String(length=64), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('at', UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['into_id'], ['person.id'], name=op.f('fk_person_merge_into_id_person')),
        sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_person_merge_person_id_person')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_person_merge')),
    )
    op.create_index('ix_person_merge_person_id', 'person_merge', ['person_id'])
    op.create_index('ix_person_merge_into_id', 'person_merge', ['into_id'])
    # plain ALTER TABLE (no batch copy of "petitioner" on SQLite)
    op.add_column('petitioner', sa.Column('id_number', sa.String(length=18), nullable=True))
    if op.get_bind().dialect.name == 'sqlite':  # SQLite adds a column's reference only inline
        op.execute('ALTER TABLE petitioner ADD COLUMN person_id INTEGER '
                   'CONSTRAINT fk_petitioner_person_id_person REFERENCES person (id)')
    else:
        op.add_column('petitioner', sa.Column('person_id', sa.Integer(), nullable=True))
        op.create_foreign_key('fk_petitioner_person_id_person', 'petitioner', 'person', ['person_id'], ['id'])
    op.create_index('ix_petitioner_person_id', 'petitioner', ['person_id'])


def downgrade():
    op.drop_index('ix_petitioner_person_id', table_name='petitioner')
    # SQLite 3.35+ drops a column in place: no copy of the table the cases' rows depend on
    op.drop_column('petitioner', 'person_id')
    op.drop_column('petitioner', 'id_number')
    op.drop_table('person_merge')
    op.drop_table('person')
