"""staff who want their notifications by e-mail too: their address and the wish

Revision ID: 0030_staff_mail
Revises: 0029_incoming_mail
Create Date: 2026-12-07 00:20:00
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0030_staff_mail'
down_revision = '0029_incoming_mail'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('notify_by_email', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('notify_by_email')
        batch_op.drop_column('email')
