"""the ledger for ten years of a city: 64-bit entry ids, one deduplicated index per case; three unused task indexes go; the outbox indexes only what is unsent

Revision ID: 0031_ledger_diet
Revises: 0030_staff_mail
Create Date: 2026-12-07 03:00:00

At twenty-six entries a closed case, 110 M cases are 2.9 billion entries: past a 32-bit id (2.1 billion) in the
eighth year. PostgreSQL gets BIGINT ids (SQLite's INTEGER is 64-bit already). The case index becomes (case_id)
alone: PostgreSQL's B-tree deduplication keeps one key with a list of the case's rows (≈ 7 bytes an entry instead
of 24), and every reader sorts a case's few dozen entries by id. Step entries stop repeating the step's name and
title (app/cases/ledger.py `readable()` reads them from the task); rows written before keep theirs.

The task indexes of the first schema over every task ever — (state, group), (assignee, state), (state, due_at) —
are read by no query since the lists moved to partial indexes over open tasks (0015, 0016, 0019); each cost every
closed task an entry and every completion a write.

The outbox's (status, next_attempt_at) index held every message ever sent (five a case); it now holds the unsent
ones only -- what the sender claims, the stale claims and the states a person must look at.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0031_ledger_diet'
down_revision = '0030_staff_mail'
branch_labels = None
depends_on = None

UNSENT = sa.text("status <> 'sent'")
UNUSED_TASK_INDEXES = {
    'ix_task_state_group': ['state', 'group'],
    'ix_task_assignee_state': ['assignee', 'state'],
    'ix_task_state_due': ['state', 'due_at'],
}


def upgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('ALTER TABLE ledger_entry ALTER COLUMN id TYPE BIGINT')
        op.execute('ALTER SEQUENCE IF EXISTS ledger_entry_id_seq AS BIGINT')
    op.create_index('ix_ledger_case', 'ledger_entry', ['case_id'])
    op.drop_index('ix_ledger_case_at', table_name='ledger_entry')
    for name in UNUSED_TASK_INDEXES:
        op.drop_index(name, table_name='task')
    op.create_index('ix_outbox_message_unsent', 'outbox_message', ['status', 'next_attempt_at'],
                    sqlite_where=UNSENT, postgresql_where=UNSENT)
    op.drop_index('ix_outbox_message_due', table_name='outbox_message')


def downgrade():
    op.create_index('ix_outbox_message_due', 'outbox_message', ['status', 'next_attempt_at'])
    op.drop_index('ix_outbox_message_unsent', table_name='outbox_message')
    for name, columns in UNUSED_TASK_INDEXES.items():
        op.create_index(name, 'task', columns)
    op.create_index('ix_ledger_case_at', 'ledger_entry', ['case_id', 'id'])
    op.drop_index('ix_ledger_case', table_name='ledger_entry')
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('ALTER SEQUENCE IF EXISTS ledger_entry_id_seq AS INTEGER')
        op.execute('ALTER TABLE ledger_entry ALTER COLUMN id TYPE INTEGER')
