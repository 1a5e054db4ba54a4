"""A script engine for unit tests: the real deadline helpers on the official calendar, no database."""

from zoneinfo import ZoneInfo

from app import clock
from app.calendar import WorkCalendar
from app.calendar.helpers import deadline_helpers
from app.engine import make_script_engine

HELPERS = deadline_helpers(WorkCalendar, lambda: ZoneInfo("Asia/Shanghai"), clock.now)


def unit_script_engine():
    return make_script_engine(HELPERS)


def start_data() -> dict:
    """What intake hands a new complaint instance, received now."""
    return {"rehandled": False, "major": False, "category": "complaint", "received_at": clock.now().isoformat()}
