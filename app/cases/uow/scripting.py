"""What BPMN expressions can see: helper functions and the case variables set at start."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from functools import lru_cache

from app import clock, engine
from app.calendar.helpers import deadline_helpers

from ..errors import T

# The variables every instance starts with (intake fills in the real values); lint evaluates with these samples.
START_DATA = {
    "case_number": "20260101000001",
    "category": "complaint",
    "channel": "web",
    "received_at": datetime(2026, 1, 5, 1, 0, tzinfo=UTC).isoformat(),
    "department": None,
    "major": False,
    "rehandled": False,
    "parties": [],  # dispute: [{name, role}] as registered
    "review_of": None,  # a review (复查) or re-review (复核) case: the case number it reviews
    "review_level": None,  # 'review' or 're-review'
    "review_reason": None,
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


def start_data(**values) -> dict:
    """The start data of an instance: START_DATA's keys, with the given values."""
    unknown = set(values) - set(START_DATA)
    if unknown:
        raise TypeError(T('not start data: %(value)s', value=', '.join(sorted(unknown))))
    return {**START_DATA, **values}


def lint_helpers() -> dict:
    """The helpers as lint sees them: set_case is known (outside a running step it records nothing)."""
    return {**script_helpers(), "set_case": engine.set_case}


def script_helpers() -> dict:
    """Functions BPMN expressions may call: working_days, calendar_days, share_of, earliest, within (and set_case, at run
    time)."""
    from ..reference import work_calendar, zone

    return deadline_helpers(work_calendar, zone, _start_of_periods)


@lru_cache(maxsize=1)
def script_engine():
    return engine.make_script_engine(script_helpers())
