"""The periods a report is made for, by name: a month (2026-11), a quarter (2026-Q4) or a year (2026)."""

from __future__ import annotations

import re
from datetime import date, timedelta

from ... import errors
from ...errors import T
from ..summary import Period

_PATTERNS = {"month": re.compile(r"^(\d{4})-(\d{2})$"), "quarter": re.compile(r"^(\d{4})-Q([1-4])$"),
             "year": re.compile(r"^(\d{4})$")}


def period_named(text: str) -> tuple[str, Period]:
    """("month" | "quarter" | "year", its days) of "2026-11", "2026-Q4" or "2026"; ValidationFailedError else."""
    text = (text or "").strip().upper()
    for kind, pattern in _PATTERNS.items():
        found = pattern.match(text)
        if found and 2000 <= int(found.group(1)) <= 2099:
            year = int(found.group(1))
            if kind == "year":
                return kind, Period(date(year, 1, 1), date(year, 12, 31))
            number = int(found.group(2))
            if kind == "month" and 1 <= number <= 12:
                return kind, Period(date(year, number, 1), _month_end(year, number))
            if kind == "quarter":
                return kind, Period(date(year, 3 * number - 2, 1), _month_end(year, 3 * number))
    raise errors.ValidationFailedError(T('not a period'), {"period": [
        T('A month (2026-11), a quarter (2026-Q4) or a year (2026).')]})


def name_of(kind: str, period: Period) -> str:
    if kind == "year":
        return str(period.first.year)
    if kind == "quarter":
        return f"{period.first.year}-Q{(period.first.month + 2) // 3}"
    return period.first.strftime("%Y-%m")


def previous(kind: str, period: Period) -> Period:
    """The period of the same kind just before."""
    day = period.first - timedelta(days=1)
    name = str(day.year) if kind == "year" else _quarter_of(day) if kind == "quarter" else day.strftime("%Y-%m")
    return period_named(name)[1]


def closed_periods(today: date) -> list[str]:
    """The last month, quarter and year that are over by `today`."""
    last_month = today.replace(day=1) - timedelta(days=1)
    quarter_start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    return [last_month.strftime("%Y-%m"), _quarter_of(quarter_start - timedelta(days=1)), str(today.year - 1)]


def _quarter_of(day: date) -> str:
    return f"{day.year}-Q{(day.month + 2) // 3}"


def _month_end(year: int, month: int) -> date:
    return date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
