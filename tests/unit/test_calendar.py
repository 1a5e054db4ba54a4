"""Deadlines in working days on China's calendar, make-up days included, under 民法典 Art. 201/203."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import holidays
import pytest

from app.calendar import FIRST_YEAR, LAST_YEAR, WorkCalendar, calendar_days_after, working_days_after

SHANGHAI = ZoneInfo("Asia/Shanghai")
OFFICIAL = WorkCalendar()


def local(y, m, d, hh=10, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=SHANGHAI)


def end_of(y, m, d):
    return datetime(y, m, d, 23, 59, 59, tzinfo=SHANGHAI)


def test_five_working_days_from_the_wednesday_before_national_day_2026_count_the_make_up_saturday():
    # Oct 1-7 are holidays; Saturday Oct 10 is a make-up working day.
    deadline = working_days_after(local(2026, 9, 30), 5, SHANGHAI, OFFICIAL)
    assert deadline.at == end_of(2026, 10, 13) and not deadline.provisional


def test_spring_festival_2026_skips_the_holiday_week_and_counts_the_make_up_saturdays():
    # Feb 14 (Sat) and Feb 28 (Sat) are make-up working days; Feb 15-23 are holidays.
    assert working_days_after(local(2026, 2, 13), 1, SHANGHAI, OFFICIAL).at == end_of(2026, 2, 14)
    assert working_days_after(local(2026, 2, 13), 2, SHANGHAI, OFFICIAL).at == end_of(2026, 2, 24)
    assert working_days_after(local(2026, 2, 26), 2, SHANGHAI, OFFICIAL).at == end_of(2026, 2, 28)


def test_the_start_day_is_not_counted_and_the_period_ends_at_the_end_of_the_last_day():
    assert working_days_after(local(2026, 3, 2, 23, 59), 1, SHANGHAI, OFFICIAL).at == end_of(2026, 3, 3)
    assert working_days_after(local(2026, 3, 2, 0, 1), 1, SHANGHAI, OFFICIAL).at == end_of(2026, 3, 3)


def test_the_start_is_read_in_local_time():
    # 2026-03-02 17:00 UTC is already Tuesday 01:00 in Shanghai.
    utc_evening = datetime(2026, 3, 2, 17, 0, tzinfo=ZoneInfo("UTC"))
    assert working_days_after(utc_evening, 1, SHANGHAI, OFFICIAL).at == end_of(2026, 3, 4)


def test_a_calendar_day_period_ending_on_a_holiday_ends_on_the_next_working_day():
    assert calendar_days_after(local(2026, 9, 26), 5, SHANGHAI, OFFICIAL).at == end_of(2026, 10, 8)
    assert calendar_days_after(local(2026, 3, 2), 15, SHANGHAI, OFFICIAL).at == end_of(2026, 3, 17)
    # Ending on a plain Sunday moves to Monday; ending on a make-up Saturday stays.
    assert calendar_days_after(local(2026, 3, 1), 7, SHANGHAI, OFFICIAL).at == end_of(2026, 3, 9)
    assert calendar_days_after(local(2026, 10, 3), 7, SHANGHAI, OFFICIAL).at == end_of(2026, 10, 10)


def test_a_deadline_reaching_into_an_unpublished_year_is_provisional():
    deadline = working_days_after(local(2026, 12, 28), 5, SHANGHAI, OFFICIAL)
    assert deadline.provisional and deadline.at.year == LAST_YEAR + 1
    assert not working_days_after(local(2026, 12, 1), 5, SHANGHAI, OFFICIAL).provisional


def test_organisation_overrides_win_over_the_official_calendar():
    extra_holiday = WorkCalendar({date(2026, 3, 3): False})
    assert working_days_after(local(2026, 3, 2), 1, SHANGHAI, extra_holiday).at == end_of(2026, 3, 4)
    extra_working_sunday = WorkCalendar({date(2026, 3, 8): True})
    assert working_days_after(local(2026, 3, 6), 1, SHANGHAI, extra_working_sunday).at == end_of(2026, 3, 8)


def test_negative_periods_are_refused():
    with pytest.raises(ValueError):
        working_days_after(local(2026, 3, 2), -1, SHANGHAI, OFFICIAL)


# The one day the sources disagree on (2004-2026): chinesecalendar has Saturday 2005-12-31 as a
# rest day, holidays as a make-up working day. Minyi follows chinesecalendar; an organisation that
# knows better sets an override.
KNOWN_DISAGREEMENTS = ["2005-12-31"]


def test_chinesecalendar_and_holidays_agree_on_every_day_both_cover_but_the_known_ones():
    """Cross-check of the two sources over every year both cover; new disagreements fail here."""
    reference = holidays.China(years=range(FIRST_YEAR, LAST_YEAR + 1))
    first = max(FIRST_YEAR, min(reference.keys()).year)
    disagreements = []
    day = date(first, 1, 1)
    while day <= date(LAST_YEAR, 12, 31):
        if OFFICIAL.is_working_day(day) != reference.is_working_day(day):
            disagreements.append(day.isoformat())
        day += timedelta(days=1)
    assert disagreements == KNOWN_DISAGREEMENTS, f"chinesecalendar and holidays disagree on: {disagreements[:20]}"
