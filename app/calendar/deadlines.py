"""Deadlines under 民法典 Art. 201 and 203.

- The start day is not counted.
- A period ends at 24:00 local time of its last day (shown as 23:59:59 of that day).
- A working-day period counts working days (make-up days count, holidays do not).
- A calendar-day period whose last day is a rest day ends at the end of the next working day.
A deadline that looked at a day of a year without official data is provisional.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from . import workdays
from .index import index_for
from .workdays import WorkCalendar

END_OF_DAY = time(23, 59, 59)


@dataclass(frozen=True)
class Deadline:
    at: datetime  # aware, in the local zone
    provisional: bool

    def isoformat(self) -> str:
        return self.at.isoformat()


def working_days_after(start: datetime, count: int, zone: ZoneInfo, calendar: WorkCalendar) -> Deadline:
    """The end of the `count`-th working day after the local date of `start`."""
    if count < 0:
        raise ValueError("a period cannot be negative")
    day, provisional = _local_date(start, zone), False
    index = index_for(calendar)
    if count > 0 and index.covers(day):
        target = index.nth_working_day_after(day, count)
        if target is not None:
            return Deadline(_end_of(target, zone), _unofficial_between(calendar, day, target))
    remaining = count
    while remaining > 0:
        day += timedelta(days=1)
        provisional |= not calendar.is_official(day)
        if calendar.is_working_day(day):
            remaining -= 1
    if count == 0:
        provisional = not calendar.is_official(day)
    return Deadline(_end_of(day, zone), provisional)


def calendar_days_after(start: datetime, count: int, zone: ZoneInfo, calendar: WorkCalendar) -> Deadline:
    """`count` days after the local date of `start`; moved to the next working day when that is a rest day."""
    if count < 0:
        raise ValueError("a period cannot be negative")
    day = _local_date(start, zone) + timedelta(days=count)
    provisional = not calendar.is_official(day)
    while not calendar.is_working_day(day):
        day += timedelta(days=1)
        provisional |= not calendar.is_official(day)
    return Deadline(_end_of(day, zone), provisional)


def _local_date(moment: datetime, zone: ZoneInfo) -> date:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment.astimezone(zone).date()


def _end_of(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, END_OF_DAY, tzinfo=zone)


def _unofficial_between(calendar: WorkCalendar, after: date, last: date) -> bool:
    """Whether any day in (after, last] rests on no published data (and no override): a provisional answer."""
    # The published years are read at call time: a calendar update (or a test) changes them.
    first_official, last_official = date(workdays.FIRST_YEAR, 1, 1), date(workdays.LAST_YEAR, 12, 31)
    if after + timedelta(days=1) >= first_official and last <= last_official:
        return False
    day = after
    while day < last:  # only the part outside the published years is walked
        day += timedelta(days=1)
        if not calendar.is_official(day):
            return True
    return False


def working_days_between(start: datetime, end: datetime, zone: ZoneInfo, calendar: WorkCalendar) -> int:
    """Working days after the local date of `start`, up to and including that of `end`."""
    day, last, count = _local_date(start, zone), _local_date(end, zone), 0
    index = index_for(calendar)
    if day < last and index.covers(day) and index.covers(last):
        return index.count_up_to(last) - index.count_up_to(day)
    while day < last:
        day += timedelta(days=1)
        count += calendar.is_working_day(day)
    return count
