"""Working-day arithmetic in O(log n): a per-calendar index of how many working days there are up to
each date, so that "the n-th working day after" and "working days between" need no day-by-day walk.

The index covers INDEX_FIRST..INDEX_LAST (the published years, a margin before them and a decade
after); outside it, callers fall back to walking. It is built once per calendar (its overrides and the
published years) and shared: calendars are immutable values.
"""

from __future__ import annotations

from bisect import bisect_left
from datetime import date, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

from . import workdays

if TYPE_CHECKING:
    from .workdays import WorkCalendar

MARGIN_BEFORE, YEARS_AFTER = 1, 10


class WorkingDayIndex:
    """cumulative[i] = working days in [first, first + i]; first..last are the dates covered."""

    def __init__(self, calendar: WorkCalendar, first: date, last: date):
        self.first, self.last = first, last
        cumulative, count, day = [], 0, first
        while day <= last:
            count += calendar.is_working_day(day)
            cumulative.append(count)
            day += timedelta(days=1)
        self.cumulative = cumulative

    def covers(self, day: date) -> bool:
        return self.first <= day <= self.last

    def count_up_to(self, day: date) -> int:
        return self.cumulative[(day - self.first).days]

    def nth_working_day_after(self, day: date, n: int) -> date | None:
        """The n-th working day after `day` (n >= 1), or None when it lies past the index."""
        wanted = self.count_up_to(day) + n
        i = bisect_left(self.cumulative, wanted, lo=(day - self.first).days + 1)
        return self.first + timedelta(days=i) if i < len(self.cumulative) else None


def index_for(calendar: WorkCalendar) -> WorkingDayIndex:
    return _index(tuple(sorted(calendar.overrides.items())), workdays.FIRST_YEAR, workdays.LAST_YEAR)


@lru_cache(maxsize=16)
def _index(overrides: tuple, first_year: int, last_year: int) -> WorkingDayIndex:
    from .workdays import WorkCalendar

    calendar = WorkCalendar(dict(overrides))
    return WorkingDayIndex(calendar, date(first_year - MARGIN_BEFORE, 1, 1), date(last_year + YEARS_AFTER, 12, 31))
