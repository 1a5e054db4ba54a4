"""The cases behind a figure (docs/statistics.md, "Drilling down"): every count, the open and overdue cases at the
end, and each rate's numerator, denominator and the cases it missed -- newest first, a page at a time, within the
cases the user may list (the access policy and confidentiality, in SQL).

Which cases count is decided by the same contribution the figures are summed from (contribution.py): candidates are
read in SQL (received in the period, or with a ledger entry in it of the actions that make the figure), and each
candidate's contribution says whether it counts -- so a list always has as many cases as its figure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.models import Case, LedgerEntry

from .. import errors, policy
from ..errors import T
from ..policy import Principal
from .contribution import COUNTS, RATES, contribution, counted_department, end_of
from .facts import facts_of
from .summary import Filters, Period, checked_period, department_named, scoped, scoped_conditions

AT_END = ("open_at_end", "overdue_at_end")
LISTED = (*COUNTS, *AT_END, *RATES)
PARTS = ("numerator", "denominator", "missed")  # of a rate
PAGE = 50  # cases a page, by default
SCAN = 5000  # candidates read at most per page (a sparse figure's page may end early, with a cursor to go on)
BATCH = 250

# the ledger actions whose entries in the period can make a case count (absent: counted on the day it was received)
_SOURCES = {
    "accepted": ("case.status_changed",), "not_accepted": ("case.status_changed",),
    "closed": ("case.status_changed",), "rehandled": ("case.status_changed",),
    "answered": ("case.answered",), "on_time": ("case.answered",), "withdrawn": ("case.withdrawn",),
    "extensions": ("case.answer_by_changed",), "breaches": ("sla.breach",), "notices": ("notice.issued",),
    "escalations": ("case.escalated", "sla.escalation"), "resolution": ("case.followed_up", "case.resolution_stated"),
    "satisfaction": ("case.satisfaction_recorded",),
}


@dataclass(frozen=True)
class Asked:
    figure: str
    part: str | None = None  # a rate's numerator, denominator or missed


def cases_behind(user: Principal, period: Period, filters: Filters, asked: Asked, after: int | None = None,
                 limit: int = PAGE) -> dict:
    """{"items": [Case…] (newest first), "next": the cursor of the next page or None}."""
    filters = scoped(user, filters)
    start, end = checked_period(period)
    _check(asked)
    conditions = scoped_conditions(user, filters)
    scope = policy.case_scope(user, "stats.read")
    if scope is not None:
        conditions.append(scope)
    department = department_named(filters.department).id if filters.department else None
    first, last, end_day = period.first.isoformat(), period.last.isoformat(), end_of(period.last).isoformat()
    found: list[int] = []
    cursor, scanned = after, 0
    while len(found) < limit and scanned < SCAN:
        ids = list(db.session.scalars(_candidates(asked, start, end, conditions, cursor).limit(BATCH)))
        if not ids:
            cursor = None
            break
        scanned += len(ids)
        facts = facts_of(ids)
        for case_id in ids:
            cursor = case_id
            f = facts[case_id]
            if filters.handler and f.handler != filters.handler:
                continue
            if department is not None and counted_department(f) != department:
                continue
            if _counts(contribution(f)["items"], asked, first, last, end_day):
                found.append(case_id)
                if len(found) == limit:
                    break
    cases = {c.id: c for c in db.session.scalars(select(Case).where(Case.id.in_(found)))} if found else {}
    return {"items": [cases[i] for i in found], "next": cursor}


def _check(asked: Asked) -> None:
    if asked.figure not in LISTED:
        raise errors.ValidationFailedError(T('unknown figure'), {"figure": [T('No figure %(name)s.', name=asked.figure)]})
    if (asked.figure in RATES) != (asked.part is not None) or (asked.part and asked.part not in PARTS):
        raise errors.ValidationFailedError(T('a rate is listed by its numerator, denominator or missed cases'),
                                           {"part": [T('One of: numerator, denominator, missed (rates only).')]})


def _candidates(asked: Asked, start: datetime, end: datetime, conditions: list, before: int | None):
    newer = [Case.id < before] if before is not None else []  # keyset paging: older than the last one shown
    if asked.figure in AT_END:
        return (select(Case.id).where(Case.received_at < end, Case.closed_at.is_(None) | (Case.closed_at >= end),
                                      *conditions, *newer).order_by(Case.id.desc()))
    actions = _SOURCES.get(asked.figure)
    if actions is None:
        return (select(Case.id).where(Case.received_at >= start, Case.received_at < end, *conditions, *newer)
                .order_by(Case.id.desc()))
    return (select(LedgerEntry.case_id).join(Case, Case.id == LedgerEntry.case_id)
            .where(LedgerEntry.at >= start, LedgerEntry.at < end, LedgerEntry.action.in_(actions), *conditions, *newer)
            .group_by(LedgerEntry.case_id).order_by(LedgerEntry.case_id.desc()))


def _counts(items: list, asked: Asked, first: str, last: str, end_day: str) -> bool:
    """Does a case with these contribution items count for the figure over first..last (open and overdue: at
    end_day)?"""
    if asked.figure in AT_END:
        delta = "open_delta" if asked.figure == "open_at_end" else "overdue_delta"
        return sum(n for day, figure, n in items if figure == delta and day <= end_day) > 0
    present = {figure for day, figure, n in items if first <= day <= last and n > 0}
    if asked.figure in COUNTS:
        return asked.figure in present
    numerator, denominator = _parts(asked.figure, present)
    return {"numerator": numerator, "denominator": denominator, "missed": denominator and not numerator}[asked.part]


def _parts(rate: str, present: set[str]) -> tuple[bool, bool]:
    if rate in ("on_time", "response"):
        return f"{rate}_n" in present, f"{rate}_d" in present
    if rate == "resolution":
        return "resolved" in present, bool(present & {"resolved", "not_resolved"})
    satisfied_from = int(current_app.config["MINYI_SATISFIED_FROM"])
    return (any(f"rated_{s}" in present for s in range(satisfied_from, 6)),
            any(f"rated_{s}" in present for s in range(1, 6)))
