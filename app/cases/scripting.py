"""What BPMN expressions can see: helper functions and the case variables set at start."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from functools import lru_cache

from app import clock, engine
from app.calendar.helpers import deadline_helpers

# The variables every instance starts with; lint evaluates timers against these.
SAMPLE_DATA = {
    "case_number": "20260101000001",
    "category": "complaint",
    "channel": "web",
    "received_at": datetime(2026, 1, 5, 1, 0, tzinfo=UTC).isoformat(),
    "department": None,
    "major": False,
    "rehandled": False,
    "case_due": datetime(2026, 1, 20, 15, 59, 59, tzinfo=UTC).isoformat(),
    "acceptance_days": 15,
    "handling_days": 60,
    "escalate_after_working_days": 3,
    "warn_share": 0.8,
}

# The moment a period counts from when an expression names none: normally now; an SLA escalation
# counts from the breach (`working_days(3)` = three working days after it).
_counting_from: ContextVar[datetime | None] = ContextVar("minyi_counting_from", default=None)


def _start_of_periods() -> datetime:
    return _counting_from.get() or clock.now()


@contextmanager
def counting_from(moment: datetime) -> Iterator[None]:
    """Within the block, `working_days(n)` and friends count from `moment` instead of now (this thread only)."""
    token = _counting_from.set(moment)
    try:
        yield
    finally:
        _counting_from.reset(token)


def script_helpers() -> dict:
    """Functions BPMN expressions may call: working_days, calendar_days, share_of, earliest (and set_case, at run time)."""
    from .calendar import work_calendar, zone

    return deadline_helpers(work_calendar, zone, _start_of_periods)


@lru_cache(maxsize=1)
def script_engine():
    return engine.make_script_engine(script_helpers())
