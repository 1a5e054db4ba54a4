"""What BPMN expressions can see: helper functions and the case variables set at start."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache

from app import clock, engine

# The variables every instance starts with; lint evaluates timers against these.
SAMPLE_DATA = {
    "case_number": "20260101000001",
    "category": "complaint",
    "channel": "web",
    "received_at": datetime(2026, 1, 5, 1, 0, tzinfo=UTC).isoformat(),
    "department": None,
    "major": False,
    "rehandled": False,
}


def script_helpers() -> dict:
    """Functions BPMN expressions may call. Deadlines come back as ISO strings (SpiffWorkflow's timers need them)."""
    return {"working_days": working_days, "calendar_days": calendar_days}


def working_days(n, start=None) -> str:
    """The end of the n-th working day after `start` (ISO string or datetime; default: now)."""
    from .calendar import deadline

    return deadline(_moment(start), working_days=int(n)).isoformat()


def calendar_days(n, start=None) -> str:
    """The end of the n-th day after `start`, moved to the next working day when that is a rest day."""
    from .calendar import deadline

    return deadline(_moment(start), days=int(n)).isoformat()


def _moment(start) -> datetime:
    if start is None:
        return clock.now()
    if isinstance(start, datetime):
        return start
    return datetime.fromisoformat(str(start))


@lru_cache(maxsize=1)
def script_engine():
    return engine.make_script_engine(script_helpers())
