"""Which local dates are working days: China's official calendar (chinesecalendar), with make-up
working days (调休), and the organisation's own overrides on top. Pure functions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

import chinese_calendar


@dataclass(frozen=True)
class WorkCalendar:
    """The official calendar plus overrides (date -> True for an extra working day, False for an extra rest day)."""

    overrides: Mapping[date, bool] = field(default_factory=dict)

    def is_working_day(self, day: date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        if has_official_data(day.year):
            return _official_workday(day)
        return day.weekday() < 5  # no official data yet: weekdays, to be recomputed when published

    def is_official(self, day: date) -> bool:
        """Whether the answer for this day rests on published data (or an explicit override)."""
        return day in self.overrides or has_official_data(day.year)


# The published calendar never changes for a day; deadlines ask for the same days over and over.
_official_workday = lru_cache(maxsize=16384)(chinese_calendar.is_workday)


def has_official_data(year: int) -> bool:
    return FIRST_YEAR <= year <= LAST_YEAR


def _covered_years() -> tuple[int, int]:
    years = {d.year for d in chinese_calendar.holidays}
    return min(years), max(years)


FIRST_YEAR, LAST_YEAR = _covered_years()
