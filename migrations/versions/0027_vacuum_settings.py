"""PostgreSQL: the tables rewritten while a case is open are vacuumed after a fixed number of dead rows

Revision ID: 0027_vacuum_settings
Revises: 0026_case_list_search
Create Date: 2026-12-07 09:00:00

autovacuum's default waits for a fifth of a table to be dead before it vacuums it; at ten years of cases that is
millions of dead rows (every step rewrites the case, its task and the engine state), and the space they hold is
only reused after a vacuum. Here the four tables rewritten while a case is open are vacuumed after a fixed number
of dead rows whatever their size, and process_instance keeps a fifth of each page free so the engine's saves stay
HOT updates (no new index entries). SQLite reuses freed pages by itself: nothing to do there.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0027_vacuum_settings'
down_revision = '0026_case_list_search'
branch_labels = None
depends_on = None

VACUUM = "autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 5000"
SETTINGS = {
    'process_instance': f"fillfactor = 80, {VACUUM}",
    'task': VACUUM,
    'case': VACUUM,
    'timer': VACUUM,
}
RESET = "autovacuum_vacuum_scale_factor, autovacuum_vacuum_threshold"


def upgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    for table, settings in SETTINGS.items():
        op.execute(f'ALTER TABLE "{table}" SET ({settings})')


def downgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    for table, settings in SETTINGS.items():
        reset = f"fillfactor, {RESET}" if settings.startswith('fillfactor') else RESET
        op.execute(f'ALTER TABLE "{table}" RESET ({reset})')
