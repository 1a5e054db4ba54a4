"""the incoming queue: e-mail fetched from the intake mailbox, each once by its Message-ID, until a clerk registers
or rejects it (or it joins the case it names)

Revision ID: 0029_incoming_mail
Revises: 0028_messages
Create Date: 2026-12-07 00:12:43.555604

"""
from alembic import op
import sqlalchemy as sa

from app.models.types import UTCDateTime


# revision identifiers, used by Alembic.
revision = '0029_incoming_mail'
down_revision = '0028_messages'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('incoming_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('message_id', sa.String(length=300), nullable=False),
    sa.Column('received_at', UTCDateTime(timezone=True), nullable=False),
    sa.Column('sender', sa.String(length=200), nullable=False),
    sa.Column('sender_name', sa.String(length=200), nullable=False),
    sa.Column('subject', sa.String(length=500), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('in_reply_to', sa.String(length=300), nullable=True),
    sa.Column('files', sa.JSON(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('decided_by', sa.String(length=64), nullable=True),
    sa.Column('decided_at', UTCDateTime(timezone=True), nullable=True),
    sa.Column('reason', sa.String(length=30), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_incoming_item_case_id_case')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incoming_item')),
    sa.UniqueConstraint('message_id', name=op.f('uq_incoming_item_message_id'))
    )
    with op.batch_alter_table('incoming_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incoming_item_case_id'), ['case_id'], unique=False)
        batch_op.create_index('ix_incoming_item_state', ['state', 'id'], unique=False)



def downgrade():
    with op.batch_alter_table('incoming_item', schema=None) as batch_op:
        batch_op.drop_index('ix_incoming_item_state')
        batch_op.drop_index(batch_op.f('ix_incoming_item_case_id'))

    op.drop_table('incoming_item')
