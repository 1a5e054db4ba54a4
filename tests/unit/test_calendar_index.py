"""The working-day index answers exactly as walking day by day does, over 2004-2030, with overrides."""

import random
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.calendar import WorkCalendar, working_days_after, working_days_between
from app.calendar.deadlines import _end_of, _local_date

ZONE = ZoneInfo("Asia/Shanghai")


def walked_after(start: datetime, count: int, calendar: WorkCalendar):
    """The reference: the day-by-day walk the index replaces."""
    day, provisional, remaining = _local_date(start, ZONE), False, count
    while remaining > 0:
        day += timedelta(days=1)
        provisional |= not calendar.is_official(day)
        remaining -= calendar.is_working_day(day)
    if count == 0:
        provisional = not calendar.is_official(day)
    return _end_of(day, ZONE), provisional


def walked_between(start: datetime, end: datetime, calendar: WorkCalendar) -> int:
    day, last, count = _local_date(start, ZONE), _local_date(end, ZONE), 0
    while day < last:
        day += timedelta(days=1)
        count += calendar.is_working_day(day)
    return count


CALENDARS = [WorkCalendar(), WorkCalendar({date(2026, 3, 3): False, date(2026, 3, 7): True, date(2031, 1, 2): True})]


@pytest.mark.parametrize("calendar", CALENDARS, ids=["official", "with overrides"])
def test_the_nth_working_day_after_matches_the_walk_on_two_thousand_random_starts(calendar):
    rng = random.Random(20261122)
    for _ in range(2000):
        start = datetime(2004, 1, 1, tzinfo=ZONE) + timedelta(days=rng.randrange(0, 27 * 366), hours=rng.randrange(24))
        count = rng.choice([0, 1, 2, 3, 5, 10, 15, 20, 60, rng.randrange(0, 400)])
        found = working_days_after(start, count, ZONE, calendar)
        assert (found.at, found.provisional) == walked_after(start, count, calendar), (start, count)


@pytest.mark.parametrize("calendar", CALENDARS, ids=["official", "with overrides"])
def test_working_days_between_matches_the_walk(calendar):
    rng = random.Random(7)
    for _ in range(2000):
        start = datetime(2004, 1, 1, tzinfo=ZONE) + timedelta(days=rng.randrange(0, 27 * 366))
        end = start + timedelta(days=rng.randrange(0, 500), hours=rng.randrange(24))
        assert working_days_between(start, end, ZONE, calendar) == walked_between(start, end, calendar), (start, end)


def test_beyond_the_index_the_walk_still_answers():
    far = datetime(2060, 6, 1, tzinfo=ZONE)
    found = working_days_after(far, 10, ZONE, WorkCalendar())
    assert (found.at, found.provisional) == walked_after(far, 10, WorkCalendar())
