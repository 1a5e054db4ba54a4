"""messages to petitioners: the outbox rows with their recipient, words and delivery state; the administrators'
templates; one-time rating links; how each petitioner wants to be told and in which language

Revision ID: 0028_messages
Revises: 0027_vacuum_settings
Create Date: 2026-12-07 00:00:45

The outbox rows written before (one per in-app notification, with no recipient) were never delivered and cannot
be: they are kept, marked 'dropped'.
"""
from alembic import op
import sqlalchemy as sa

from app.models.types import UTCDateTime

# revision identifiers, used by Alembic.
revision = '0028_messages'
down_revision = '0027_vacuum_settings'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('message_template',
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('locale', sa.String(length=5), nullable=False),
    sa.Column('subject', sa.Text(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=False),
    sa.Column('updated_at', UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('kind', 'channel', 'locale', name=op.f('pk_message_template'))
    )
    op.create_table('rating_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', UTCDateTime(timezone=True), nullable=False),
    sa.Column('used_at', UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_rating_link_case_id_case')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rating_link')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_rating_link_token_hash'))
    )
    with op.batch_alter_table('rating_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rating_link_case_id'), ['case_id'], unique=False)

    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('case_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('kind', sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column('recipient', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('locale', sa.String(length=5), nullable=True))
        batch_op.add_column(sa.Column('subject', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('body', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('secret', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('dedupe_key', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('next_attempt_at', UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('claimed_at', UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('last_error', sa.Text(), nullable=True))
        batch_op.alter_column('payload', existing_type=sa.JSON(), nullable=True)
        batch_op.drop_index(batch_op.f('ix_outbox_message_status'))
        batch_op.create_index('ix_outbox_message_case', ['case_id', 'id'], unique=False)
        batch_op.create_index('ix_outbox_message_due', ['status', 'next_attempt_at'], unique=False)
        batch_op.create_unique_constraint(batch_op.f('uq_outbox_message_dedupe_key'), ['dedupe_key'])
        batch_op.create_foreign_key(batch_op.f('fk_outbox_message_case_id_case'), 'case', ['case_id'], ['id'])
    op.execute("UPDATE outbox_message SET status = 'dropped', "
               "last_error = 'written before delivery existed: no recipient' WHERE status = 'pending'")

    with op.batch_alter_table('petitioner', schema=None) as batch_op:
        batch_op.add_column(sa.Column('notify_by', sa.String(length=10), nullable=False, server_default='none'))
        batch_op.add_column(sa.Column('locale', sa.String(length=5), nullable=False, server_default='zh'))


def downgrade():
    with op.batch_alter_table('petitioner', schema=None) as batch_op:
        batch_op.drop_column('locale')
        batch_op.drop_column('notify_by')

    op.execute("DELETE FROM outbox_message WHERE case_id IS NOT NULL")
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_outbox_message_case_id_case'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_outbox_message_dedupe_key'), type_='unique')
        batch_op.drop_index('ix_outbox_message_due')
        batch_op.drop_index('ix_outbox_message_case')
        batch_op.create_index(batch_op.f('ix_outbox_message_status'), ['status'], unique=False)
        batch_op.alter_column('payload', existing_type=sa.JSON(), nullable=False)
        for column in ('last_error', 'claimed_at', 'next_attempt_at', 'dedupe_key', 'secret', 'body', 'subject',
                       'locale', 'recipient', 'kind', 'case_id'):
            batch_op.drop_column(column)

    with op.batch_alter_table('rating_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rating_link_case_id'))
    op.drop_table('rating_link')
    op.drop_table('message_template')
