"""What BPMN expressions can see: helper functions and the case variables set at start."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache

from app import clock, engine
from app.calendar.helpers import deadline_helpers

# The variables every instance starts with (intake fills in the real values); lint evaluates with these samples.
START_DATA = {
    "case_number": "20260101000001",
    "category": "complaint",
    "channel": "web",
    "received_at": datetime(2026, 1, 5, 1, 0, tzinfo=UTC).isoformat(),
    "department": None,
    "major": False,
    "rehandled": False,
}


def start_data(**values) -> dict:
    """The start data of an instance: START_DATA's keys, with the given values."""
    unknown = set(values) - set(START_DATA)
    if unknown:
        raise TypeError(f"not start data: {', '.join(sorted(unknown))}")
    return {**START_DATA, **values}


def lint_helpers() -> dict:
    """The helpers as lint sees them: set_case is a known name that does nothing."""
    return {**script_helpers(), "set_case": _set_case_at_lint}


def _set_case_at_lint(**_fields) -> None:
    return None


def script_helpers() -> dict:
    """Functions BPMN expressions may call: working_days, calendar_days, share_of, earliest."""
    from .calendar import work_calendar, zone

    return deadline_helpers(work_calendar, zone, clock.now)


@lru_cache(maxsize=1)
def script_engine():
    return engine.make_script_engine(script_helpers())
