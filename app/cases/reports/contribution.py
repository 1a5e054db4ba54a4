"""What one case contributes to the figures (docs/statistics.md), and the figures of summed contributions.

A case's facts become items -- (local day, figure, amount) -- under the case's dimensions (the department it counts
for, its category, channel and confidentiality), plus its handling time (the day of its first answer and the working
days it took) and its topic and area (for the hotspots). The figures of a period are the sum of the items whose day
falls in it: the rollups keep that sum by day and month (rollups.py), and a recount sums the items of freshly read
facts -- one definition for both."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime

from flask import current_app

from app.calendar.deadlines import working_days_between
from app.models import NO_DEPARTMENT

from .. import reference
from .facts import CaseFacts

COUNTS = ("received", "accepted", "not_accepted", "answered", "closed", "withdrawn", "repeats", "reviews",
          "extensions", "breaches", "notices", "escalations", "rehandled")
RATES = ("on_time", "response", "resolution", "satisfaction")


def counted_department(facts: CaseFacts) -> int:
    """The department the case counts for: its own, unless an upheld appeal took it from that department."""
    if facts.department_id is None or facts.department_id in facts.appealed_away:
        return NO_DEPARTMENT
    return facts.department_id


def contribution(facts: CaseFacts) -> dict:
    """{"dims": [department, category, channel, confidential], "items": [[day, figure, amount], …],
    "handling": [day, working days] or null, "nodes": [[kind, node id, day], …]} -- days as ISO local dates."""
    zone = reference.zone()
    items: Counter = Counter()
    days: dict[datetime, str] = {}  # a case's moments repeat (received, answered, closed on the same instant)

    def day(moment: datetime) -> str:
        found = days.get(moment)
        if found is None:
            found = days[moment] = moment.astimezone(zone).date().isoformat()
        return found

    def add(figure: str, moment: datetime | None, amount: int = 1) -> None:
        if moment is not None:
            items[(day(moment), figure)] += amount

    received = facts.received_at
    add("received", received)
    if facts.repeat:
        add("repeats", received)
    if facts.review:
        add("reviews", received)
    for figure in ("accepted", "not_accepted", "withdrawn"):
        add(figure, getattr(facts, f"{figure}_at"))
    add("closed", facts.closed_as_closed_at)
    for figure in ("extensions", "breaches", "notices", "escalations", "rehandled"):
        for moment in getattr(facts, figure):
            add(figure, moment)
    answered = facts.first_answer_at if facts.not_accepted_at is None else None  # a refusal's reasons: no answer
    add("answered", answered)
    if answered is not None and facts.answer_deadline is not None:
        add("on_time_d", answered)
        add("on_time_n", answered if answered <= facts.answer_deadline else None)
    if facts.first_step:
        done_at, limit, task = facts.first_step
        if done_at is not None:
            add("response_d", received)
            add("response_n", received if limit is None or done_at <= limit else None)
        elif task in facts.breached_tasks:
            add("response_d", received)
    for moment, verdict in facts.verdicts:
        if verdict in ("resolved", "not_resolved"):
            add(verdict, moment)
    for moment, score in facts.ratings:
        if 1 <= score <= 5:
            add(f"rated_{score}", moment)
    _interval(add, "open_delta", received, facts.closed_at, zone)
    if facts.due_at is not None:
        stops = [m for m in (facts.closed_at, facts.first_answer_at) if m is not None]
        _interval(add, "overdue_delta", max(received, facts.due_at), min(stops) if stops else None, zone)
    return {"dims": [counted_department(facts), facts.category, facts.channel, bool(facts.confidential)],
            "items": [[d, figure, n] for (d, figure), n in sorted(items.items()) if n],
            "handling": [day(answered), _handling_days(facts, zone)] if answered is not None else None,
            "nodes": [[kind, node, day(received)] for kind, node in (("topic", facts.topic_id), ("area", facts.area_id))
                      if node is not None]}


def _interval(add, figure: str, since: datetime, until: datetime | None, zone) -> None:
    """+1 the day a state began, -1 the day it ended: summed up to a day, 1 when the state held at that day's end.
    A state that began and ended the same day (or ended before it began) held at no day's end: nothing."""
    if until is not None and until.astimezone(zone).date() <= since.astimezone(zone).date():
        return
    add(figure, since)
    add(figure, until, -1)


def _handling_days(facts: CaseFacts, zone) -> int:
    """Working days from receipt to the first answer, net of holds before it."""
    calendar = reference.work_calendar()
    answered = facts.first_answer_at
    held = sum(working_days_between(since, until or answered, zone, calendar)
               for since, until in facts.holds if since < answered)
    return max(0, working_days_between(facts.received_at, answered, zone, calendar) - held)


def end_of(last: date) -> date:
    """The day open and overdue cases are counted at: the period's last, or today for a period not yet over (a
    deadline still ahead is not missed yet)."""
    return min(last, reference.local_today())


def summed(contributions: Iterable[dict], first: date, last: date) -> tuple[Counter, Counter]:
    """The figures (open and overdue counted up to `end_of(last)`, from the start) and the handling histogram of
    these contributions over the days first..last."""
    first_day, last_day, end_day = first.isoformat(), last.isoformat(), end_of(last).isoformat()
    sums: Counter = Counter()
    histogram: Counter = Counter()
    for c in contributions:
        for d, figure, n in c["items"]:
            if figure in ("open_delta", "overdue_delta"):
                if d <= end_day:
                    sums[figure] += n
            elif first_day <= d <= last_day:
                sums[figure] += n
        if c["handling"] and first_day <= c["handling"][0] <= last_day:
            histogram[c["handling"][1]] += 1
    return sums, histogram


def figures(sums: Counter | dict, histogram: Counter | dict) -> dict:
    """The summary's counts, rates (numerator and denominator) and handling time from summed figures."""
    satisfied_from = int(current_app.config["MINYI_SATISFIED_FROM"])
    ratings = [sums.get(f"rated_{score}", 0) for score in range(1, 6)]
    counts = {name: sums.get(name, 0) for name in COUNTS}
    counts["open_at_end"] = sums.get("open_delta", 0)
    counts["overdue_at_end"] = sums.get("overdue_delta", 0)
    rates = {
        "on_time": rate(sums.get("on_time_n", 0), sums.get("on_time_d", 0)),
        "response": rate(sums.get("response_n", 0), sums.get("response_d", 0)),
        "resolution": rate(sums.get("resolved", 0), sums.get("resolved", 0) + sums.get("not_resolved", 0)),
        "satisfaction": rate(sum(ratings[satisfied_from - 1:]), sum(ratings)),
    }
    return {"counts": counts, "rates": rates, "handling_days": handling(histogram)}


def rate(numerator: int, denominator: int) -> dict:
    return {"numerator": numerator, "denominator": denominator,
            "rate": round(numerator / denominator, 4) if denominator else None}


def handling(histogram: Counter | dict) -> dict:
    """The median and the 90th percentile (nearest rank) of a histogram {working days: cases}."""
    total = sum(histogram.values())
    return {"cases": total, "median": _nearest_rank(histogram, total, 0.5), "p90": _nearest_rank(histogram, total, 0.9)}


def _nearest_rank(histogram, total: int, share: float) -> int | None:
    if not total:
        return None
    rank, seen = max(1, math.ceil(share * total)), 0
    for days in sorted(histogram):
        seen += histogram[days]
        if seen >= rank:
            return days
    return None
