"""Working-day arithmetic and deadline rules. Pure functions; the clock and overrides are passed in."""

from .deadlines import Deadline, calendar_days_after, working_days_after, working_days_between
from .workdays import FIRST_YEAR, LAST_YEAR, WorkCalendar, has_official_data

__all__ = [
    "FIRST_YEAR",
    "LAST_YEAR",
    "Deadline",
    "WorkCalendar",
    "calendar_days_after",
    "has_official_data",
    "working_days_after",
    "working_days_between",
]
