"""calendar-day moments get their own unit ('days'): a pause moves them by dates and off rest days

Revision ID: 0020_calendar_day_unit
Revises: 0019_at_risk_queues
Create Date: 2026-11-23 03:00:00

Until now calendar_days() deadlines were stored with the unit 'calendar', as durations (PT4H) are, and a resume
moved them by the elapsed time: off the end of the day, and onto rest days. From here on calendar_days() stores
'days'. Pending moments and open cases' deadlines written before are recognised by what calendar_days() always
gives, the last second of a local day (a duration ends there only by chance), and get the new unit. Moments
inside engine states (BPMN timers of running instances) keep the old unit until their instance is started anew.
"""
import os
from datetime import datetime
from zoneinfo import ZoneInfo

from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = '0020_calendar_day_unit'
down_revision = '0019_at_risk_queues'
branch_labels = None
depends_on = None

FINAL = ('closed', 'rejected', 'withdrawn')


def _zone() -> ZoneInfo:
    try:
        from flask import current_app
        return ZoneInfo(current_app.config["MINYI_TIMEZONE"])
    except (RuntimeError, KeyError):  # outside the app (plain alembic): the same setting as app/config.py
        return ZoneInfo(os.environ.get("MINYI_TIMEZONE", "Asia/Shanghai"))


def _at_end_of_day(value, zone: ZoneInfo) -> bool:
    if value is None:
        return False
    if isinstance(value, str):  # SQLite hands text back
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:  # stored in UTC (app/models/types.py)
        value = value.replace(tzinfo=ZoneInfo("UTC"))
    local = value.astimezone(zone)
    return (local.hour, local.minute, local.second) == (23, 59, 59)


def _relabel(old: str, new: str, which):
    """Pending moments and open cases' deadlines in unit `old` for which `which(due_at)` holds get unit `new`."""
    bind = op.get_bind()
    timers = sa.table('timer', sa.column('id', sa.String), sa.column('unit', sa.String), sa.column('due_at'))
    cases = sa.table('case', sa.column('id', sa.Integer), sa.column('status', sa.String), sa.column('due_unit', sa.String),
                     sa.column('due_at'))
    timer_ids = [r.id for r in bind.execute(sa.select(timers.c.id, timers.c.due_at).where(timers.c.unit == old))
                 if which(r.due_at)]
    case_ids = [r.id for r in bind.execute(sa.select(cases.c.id, cases.c.due_at)
                                           .where(cases.c.due_unit == old, cases.c.status.not_in(FINAL)))
                if which(r.due_at)]
    for i in range(0, len(timer_ids), 500):
        bind.execute(timers.update().where(timers.c.id.in_(timer_ids[i:i + 500])).values(unit=new))
    for i in range(0, len(case_ids), 500):
        bind.execute(cases.update().where(cases.c.id.in_(case_ids[i:i + 500])).values(due_unit=new))


def upgrade():
    zone = _zone()
    _relabel('calendar', 'days', lambda due_at: _at_end_of_day(due_at, zone))


def downgrade():
    _relabel('days', 'calendar', lambda due_at: True)  # back to the one calendar unit
