"""Public disclosure (seed 001 §7): what the office publishes of a period -- cases received by category, channel,
department and month, how many were answered and closed, and the on-time, response, resolution and satisfaction
rates -- with no personal data, no confidential case, and every count under SMALL shown as "<5" (a rate only over
SMALL cases or more). Figures of a period are kept for a while (TTL): the page is public and recounting is not free."""

from __future__ import annotations

import threading
import time
from collections import Counter
from datetime import date, timedelta

from flask import current_app

from app.models import NO_DEPARTMENT

from .. import reference
from .contribution import figures
from .rollups import Rollups
from .summary import Period, checked_period

SMALL = 5
SUPPRESSED = "<5"
TTL = 600  # seconds a period's published figures are kept (per app: one database)
_lock = threading.Lock()


def last_twelve_months(today: date) -> Period:
    """The twelve whole months before this one: what the page shows unless asked for another period."""
    first_of_month = today.replace(day=1)
    year, month = (first_of_month.year - 1, first_of_month.month)
    return Period(date(year, month, 1), first_of_month - timedelta(days=1))


def published(period: Period) -> dict:
    """The period's public figures (kept TTL seconds per period)."""
    kept = current_app.extensions.setdefault("minyi_disclosure", {})
    key = (period.first, period.last)
    with _lock:
        found = kept.get(key)
        if found and time.monotonic() - found[0] < TTL:
            return found[1]
    figures = _count(period)
    with _lock:
        kept[key] = (time.monotonic(), figures)
    return figures


def _count(period: Period) -> dict:
    checked_period(period)
    rollups, public = Rollups(), {"confidential": False}
    counted = figures(*rollups.read(period.first, period.last, public).of())
    names = {d.id: d.name for d in reference.departments().values()}

    def received(by: str) -> Counter:
        return Counter({key: sums.get("received", 0) for key, (sums, _) in
                        rollups.read(period.first, period.last, public, by=by).groups.items()})

    by_department = Counter()
    for department_id, n in received("department").items():
        if department_id != NO_DEPARTMENT:
            by_department[names.get(department_id)] += n
    return {
        "period": {"from": period.first.isoformat(), "to": period.last.isoformat()},
        "counts": {name: _cell(counted["counts"][name]) for name in ("received", "answered", "closed")},
        "by_category": _cells(received("category")),
        "by_channel": _cells(received("channel")),
        "by_department": _cells(by_department),
        "by_month": _cells(Counter({month.strftime("%Y-%m"): n for month, n in received("month").items()}), by_key=True),
        "rates": {name: _rate(rate) for name, rate in counted["rates"].items()},
        "small": SMALL,
    }


def _cell(n: int) -> int | str:
    return n if n >= SMALL or n == 0 else SUPPRESSED


def _cells(counter: Counter, by_key: bool = False) -> list[dict]:
    counter = Counter({key: n for key, n in counter.items() if n})
    ordered = sorted(counter.items()) if by_key else sorted(counter.items(), key=lambda kv: (-kv[1], str(kv[0])))
    return [{"key": key, "count": _cell(n)} for key, n in ordered]


def _rate(rate: dict) -> dict:
    shown = rate["denominator"] >= SMALL
    return {"numerator": _cell(rate["numerator"]), "denominator": _cell(rate["denominator"]),
            "rate": rate["rate"] if shown else None}
