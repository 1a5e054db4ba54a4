"""Trends (docs/statistics.md, "Trends"): the figures of a period bucket by bucket -- days, ISO weeks (Monday to
Sunday) or months, the first and last cut to the period -- beside the buckets of the period of the same length just
before. Read from the day or month rollups; under a topic, area or handler, recounted like the summary."""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from datetime import date, timedelta

from .. import errors
from ..errors import T
from ..policy import Principal
from .contribution import contribution, figures
from .rollups import Rollups
from .summary import Filters, Period, checked_period, recount_facts, rollup_where, scoped

GRAINS = ("day", "week", "month")
COUNTED = ("received", "answered", "closed")  # the counts a trend shows (with the four rates)


def trend(user: Principal, period: Period, filters: Filters, grain: str) -> dict:
    """{"period", "grain", "items": [{"from", "to", "counts", "rates"}…], "previous": {"from", "to", "items"}}."""
    filters = scoped(user, filters)
    checked_period(period)
    if grain not in GRAINS:
        raise errors.ValidationFailedError(T('unknown grain'), {"grain": [T('One of: day, week, month.')]})
    before = period.before()
    return {"period": period.span(), "grain": grain, "filters": {k: v for k, v in vars(filters).items() if v},
            "items": _items(period, filters, grain), "previous": {**before.span(), "items": _items(before, filters, grain)}}


def default_grain(period: Period) -> str:
    """Days up to two months, weeks up to half a year, months beyond."""
    days = (period.last - period.first).days + 1
    return "day" if days <= 62 else "week" if days <= 183 else "month"


def buckets(period: Period, grain: str) -> list[Period]:
    """The period cut into days, ISO weeks or months (the first and the last cut to the period)."""
    out, day = [], period.first
    while day <= period.last:
        if grain == "day":
            end = day
        elif grain == "week":
            end = day + timedelta(days=6 - day.weekday())
        else:
            end = date(day.year + (day.month == 12), day.month % 12 + 1, 1) - timedelta(days=1)
        out.append(Period(day, min(end, period.last)))
        day = out[-1].last + timedelta(days=1)
    return out


def _items(period: Period, filters: Filters, grain: str) -> list[dict]:
    cut = buckets(period, grain)
    starts = [b.first for b in cut]
    sums = [Counter() for _ in cut]

    def bucket_of(day: date) -> int:
        return bisect_right(starts, day) - 1  # the last bucket starting on or before the day

    if filters.topic or filters.area or filters.handler:
        first, last = period.first.isoformat(), period.last.isoformat()
        for facts in recount_facts(period, filters):
            for day, figure, n in contribution(facts)["items"]:
                if first <= day <= last and figure not in ("open_delta", "overdue_delta"):
                    sums[bucket_of(date.fromisoformat(day))][figure] += n
    else:
        read = Rollups().read(period.first, period.last, rollup_where(filters),
                              by="month" if grain == "month" else "day")
        for start, (counted, _) in read.groups.items():
            sums[bucket_of(start)].update(counted)
    items = []
    for bucket, counted in zip(cut, sums, strict=True):
        shown = figures(counted, {})
        items.append({**bucket.span(), "counts": {name: shown["counts"][name] for name in COUNTED},
                      "rates": shown["rates"]})
    return items
