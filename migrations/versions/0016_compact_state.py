"""engine states stored zlib-compressed: process_instance.state and case_migration.previous_state become binary

Revision ID: 0016_compact_state
Revises: 0015_open_work_indexes
Create Date: 2026-11-23 01:00:00

Existing rows are converted in batches of BATCH rows both ways (a new column filled, the old one dropped, the
new one renamed). The upgrade writes plain zlib of the UTF-8 text, a format the app reads forever. The app itself
writes zlib with a preset dictionary, so the downgrade reads through app.models.compression, whose dictionaries
never change; a value that does not decompress stops the downgrade before it changes anything.

SQLite rebuilds process_instance to drop a column; tasks, timers, notices and migrations refer to it, so the
rebuild runs with foreign keys off (a PRAGMA that only takes effect outside a transaction: the migrations run so
far are committed first). On a large database, reclaim the space of the old text values afterwards: VACUUM
(SQLite), VACUUM FULL process_instance, case_migration (PostgreSQL, in a quiet hour: it locks the tables).
"""
import zlib

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0016_compact_state'
down_revision = '0015_open_work_indexes'
branch_labels = None
depends_on = None

BATCH = 500
COLUMNS = (('process_instance', 'state', False), ('case_migration', 'previous_state', True))


def upgrade():
    with _foreign_keys_off():
        for table, column, nullable in COLUMNS:
            _convert(table, column, nullable, sa.LargeBinary(), _compress)
    if op.get_bind().dialect.name == 'postgresql':
        # Already compressed: no second compression by PostgreSQL, and in the row while it fits (see models/process.py).
        op.execute('ALTER TABLE process_instance ALTER COLUMN state SET STORAGE MAIN')


def downgrade():
    for table, column, _nullable in COLUMNS:  # every value read first: a damaged one stops it before any change
        for _batch in _each_value(table, column, _decompress):
            pass
    with _foreign_keys_off():
        for table, column, nullable in COLUMNS:
            _convert(table, column, nullable, sa.Text(), _decompress)


def _compress(value: str) -> bytes:
    return zlib.compress(value.encode('utf-8'), 9)


def _decompress(value) -> str:
    from app.models.compression import decompress_text

    return decompress_text(value)


def _convert(table: str, column: str, nullable: bool, new_type, convert) -> None:
    """Fill a new column from the old one batch by batch, drop the old one, give the new one its name."""
    temporary = f'{column}_converted'
    with op.batch_alter_table(table) as batch_op:
        batch_op.add_column(sa.Column(temporary, new_type, nullable=True))
    rows = sa.table(table, sa.column('id', sa.Integer), sa.column(temporary, new_type))
    update = rows.update().where(rows.c.id == sa.bindparam('b_id')).values({temporary: sa.bindparam('b_value')})
    for batch in _each_value(table, column, convert):
        op.get_bind().execute(update, [{'b_id': row_id, 'b_value': value} for row_id, value in batch])
    with op.batch_alter_table(table) as batch_op:
        batch_op.drop_column(column)
        batch_op.alter_column(temporary, new_column_name=column, existing_type=new_type, nullable=nullable)


def _each_value(table: str, column: str, convert):
    """Yields (id, converted value) of the rows with a value, BATCH rows at a time (one list each), in id order."""
    rows = sa.table(table, sa.column('id', sa.Integer), sa.column(column))
    last = 0
    while True:
        batch = op.get_bind().execute(sa.select(rows.c.id, rows.c[column]).where(rows.c.id > last, rows.c[column].isnot(None))
                                      .order_by(rows.c.id).limit(BATCH)).all()
        if not batch:
            return
        yield [(row_id, convert(value)) for row_id, value in batch]
        last = batch[-1][0]


class _foreign_keys_off:
    """SQLite only: foreign keys off around the table rebuilds, on again afterwards (checked first)."""

    def __enter__(self):
        self.sqlite = op.get_bind().dialect.name == 'sqlite'
        if self.sqlite:
            with op.get_context().autocommit_block():
                op.execute('PRAGMA foreign_keys=OFF')

    def __exit__(self, kind, value, traceback):
        if self.sqlite and kind is None:  # after a failure nothing is committed: the process ends with the error
            problems = op.get_bind().exec_driver_sql('PRAGMA foreign_key_check').all()
            if problems:
                raise RuntimeError(f'foreign keys broken by the rebuild: {problems[:5]}')
            with op.get_context().autocommit_block():
                op.execute('PRAGMA foreign_keys=ON')
        return False
