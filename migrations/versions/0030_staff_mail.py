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


# Plain ALTER TABLE (no batch copy): on SQLite a batch would drop and recreate "user", which api tokens, sessions
# and saved filters point at.
def upgrade():
    op.add_column('user', sa.Column('email', sa.String(length=200), nullable=True))
    op.add_column('user', sa.Column('notify_by_email', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade():
    op.drop_column('user', 'notify_by_email')
    op.drop_column('user', 'email')
