"""Deadline functions for BPMN expressions. They return ISO strings (SpiffWorkflow timers need them)
that remember how they were counted (`Moment.unit`): 'working' days, calendar 'days' (a date, kept off
rest days), or 'calendar' time (a duration such as PT4H), so that a paused case moves each deadline by
the right kind of time. The calendar, the zone and the clock are handed in,
so the functions stay pure."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from .deadlines import calendar_days_after, working_days_after
from .workdays import WorkCalendar


class Moment(str):
    """An ISO-8601 moment that knows its unit: 'working' or 'calendar' days. Behaves as the string."""

    __slots__ = ("unit",)

    def __new__(cls, value: str, unit: str):
        moment = super().__new__(cls, value)
        moment.unit = unit
        return moment

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self

    def __reduce__(self):
        return (Moment, (str(self), self.unit))


def unit_of(value) -> str:
    """The unit of a moment; a plain string (e.g. read back from stored data) counts as calendar time."""
    return getattr(value, "unit", "calendar")


MAX_DAYS = 3660  # ten years: no time limit in a procedure is longer, and counting days costs time


def _days(n, helper: str) -> int:
    if isinstance(n, bool) or not isinstance(n, int | float) or n != int(n):
        raise ValueError(f"{helper}() takes a whole number of days, not {n!r}")
    if not 0 <= n <= MAX_DAYS:
        raise ValueError(f"{helper}() takes 0 to {MAX_DAYS} days, not {int(n)}")
    return int(n)


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
        return Moment(working_days_after(moment(start), _days(n, "working_days"), zone(), calendar()).isoformat(),
                      "working")

    def calendar_days(n, start=None) -> str:
        """The end of the n-th day after `start`, moved to the next working day when that is a rest day."""
        return Moment(calendar_days_after(moment(start), _days(n, "calendar_days"), zone(), calendar()).isoformat(),
                      "days")

    def share_of(fraction, start, deadline) -> str:
        """`fraction` of the way from `start` (default: now) to `deadline`: warnings before a breach."""
        fraction = float(fraction)
        if not 0 <= fraction <= 1:
            raise ValueError("share_of() takes a fraction between 0 and 1")
        begin, end = moment(start), moment(deadline)
        return Moment((begin + (end - begin) * fraction).isoformat(), unit_of(deadline))

    def earliest(*moments) -> str:
        """The earliest of several moments (a task's own target and the case's deadline, say)."""
        given = [m for m in moments if m is not None]
        if not given:
            raise ValueError("earliest() needs at least one moment")
        first = min(given, key=moment)
        return first if isinstance(first, str) else Moment(moment(first).isoformat(), "calendar")

    def within(limit, start=None) -> str:
        """A time limit as a table in a process writes it: a whole number of working days, or an ISO-8601
        duration of elapsed time ('PT4H': four hours, counted from when the task opens)."""
        if isinstance(limit, bool) or not isinstance(limit, int | str):
            raise ValueError(f"within() takes working days (a whole number) or a duration such as 'PT4H', not {limit!r}")
        if isinstance(limit, int):
            return working_days(limit, start)
        if not limit.strip().upper().startswith("P"):
            raise ValueError(f"within() takes a duration such as 'PT4H' or 'P2D', not {limit!r}")
        return limit.strip().upper()

    return {"working_days": working_days, "calendar_days": calendar_days, "share_of": share_of, "earliest": earliest,
            "within": within}
