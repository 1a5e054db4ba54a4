"""Named, expiring API tokens; deactivated users; access codes under argon2

api_token gets a name and an expiry. Tokens issued before this migration had none: they get an
expiry 90 days after the upgrade (the default MINYI_TOKEN_DAYS), so integrations keep working for
a while and then need a new token like every other.

user gets deactivated_at; users already inactive are stamped with the time of the upgrade.

case.access_code_hash grows from 64 to 128 characters to hold an argon2id hash (~97 characters).
Existing access codes were stored as SHA-256 hex digests of the (upper-cased, stripped) code. A
hash cannot be re-hashed into argon2 without the code, so those rows stay as they are: the lookup
recognises the legacy 64-hex form and compares SHA-256 of the code exactly as given, in constant
time. Codes were upper-case ASCII, so every petitioner's code keeps working; only the lenient
matching (lower case, spaces, stray non-ASCII characters) ends. New cases get argon2id hashes.

Revision ID: 0008_accounts_access_codes
Revises: 0007_sla_notices_incidents
Create Date: 2026-11-22 22:00:00

"""
from datetime import UTC, datetime, timedelta

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008_accounts_access_codes'
down_revision = '0007_sla_notices_incidents'
branch_labels = None
depends_on = None

LEGACY_TOKEN_DAYS = 90


def upgrade():
    now = datetime.now(UTC)
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name', sa.String(length=100), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True))
    api_token = sa.table('api_token', sa.column('expires_at', sa.DateTime(timezone=True)))
    op.execute(api_token.update().values(expires_at=_stored(now + timedelta(days=LEGACY_TOKEN_DAYS))))
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.alter_column('expires_at', existing_type=sa.DateTime(timezone=True), nullable=False)

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('deactivated_at', sa.DateTime(timezone=True), nullable=True))
    user = sa.table('user', sa.column('active', sa.Boolean()), sa.column('deactivated_at', sa.DateTime(timezone=True)))
    op.execute(user.update().where(user.c.active.is_(False)).values(deactivated_at=_stored(now)))

    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.alter_column('access_code_hash', existing_type=sa.String(length=64), type_=sa.String(length=128),
                              existing_nullable=False)


def downgrade():
    # argon2 hashes do not fit the old column: downgrading loses the access codes of newer cases.
    case = sa.table('case', sa.column('access_code_hash', sa.String()))
    op.execute(case.update().where(sa.func.length(case.c.access_code_hash) > 64).values(access_code_hash='-'))
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.alter_column('access_code_hash', existing_type=sa.String(length=128), type_=sa.String(length=64),
                              existing_nullable=False)
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('deactivated_at')
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.drop_column('expires_at')
        batch_op.drop_column('name')


def _stored(moment: datetime):
    """UTC, naive on SQLite (as the models' UTCDateTime stores it), aware elsewhere."""
    return moment.replace(tzinfo=None) if op.get_bind().dialect.name == 'sqlite' else moment
