"""case numbers from a counter per day of receipt, taken in the intake's transaction

Revision ID: 0025_case_numbers_per_day
Revises: 0024_scheduler_heartbeat
Create Date: 2026-12-07 11:00:00

Numbers were a date and one global sequence handed out in blocks per worker: they did not follow the order of
registration across workers, and six digits of one sequence last about a month at a city's volume. Each day of
receipt now has its own counter row ("case:YYYYMMDD"), incremented in the intake's own transaction. The counters of
the days that already have cases start after the highest number used on that day.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0025_case_numbers_per_day'
down_revision = '0024_scheduler_heartbeat'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("""
        INSERT INTO counter (name, value)
        SELECT 'case:' || substr(number, 1, 8), max(CAST(substr(number, 9) AS INTEGER))
        FROM "case" WHERE length(number) = 14 GROUP BY substr(number, 1, 8)
    """)


def downgrade():
    # the global counter continues after the highest sequence any number used
    op.execute("""
        UPDATE counter SET value = COALESCE((SELECT max(CAST(substr(number, 9) AS INTEGER)) FROM "case"), value)
        WHERE name = 'case'
    """)
    op.execute("DELETE FROM counter WHERE name LIKE 'case:%'")
