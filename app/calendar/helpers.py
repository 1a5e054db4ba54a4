"""Deadline functions for BPMN expressions. They return ISO strings (SpiffWorkflow timers need them);
the calendar, the zone and the clock are handed in, so the functions stay pure."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from .deadlines import calendar_days_after, working_days_after
from .workdays import WorkCalendar


def deadline_helpers(calendar: Callable[[], WorkCalendar], zone: Callable[[], ZoneInfo], now: Callable[[], datetime]) -> dict:
    def moment(value) -> datetime:
        if value is None:
            return now()
        if isinstance(value, datetime):
            return value
        parsed = datetime.fromisoformat(str(value))
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=zone())

    def working_days(n, start=None) -> str:
        """The end of the n-th working day after `start` (default: when the timer starts waiting)."""
        return working_days_after(moment(start), int(n), zone(), calendar()).isoformat()

    def calendar_days(n, start=None) -> str:
        """The end of the n-th day after `start`, moved to the next working day when that is a rest day."""
        return calendar_days_after(moment(start), int(n), zone(), calendar()).isoformat()

    def share_of(fraction, start, deadline) -> str:
        """`fraction` of the way from `start` (default: now) to `deadline`: warnings before a breach."""
        fraction = float(fraction)
        if not 0 <= fraction <= 1:
            raise ValueError("share_of() takes a fraction between 0 and 1")
        begin, end = moment(start), moment(deadline)
        return (begin + (end - begin) * fraction).isoformat()

    def earliest(*moments) -> str:
        """The earliest of several moments (a task's own target and the case's deadline, say)."""
        return min(moment(m) for m in moments if m is not None).isoformat()

    return {"working_days": working_days, "calendar_days": calendar_days, "share_of": share_of, "earliest": earliest}
