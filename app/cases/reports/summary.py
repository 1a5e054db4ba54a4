"""The summary of a period (docs/statistics.md): counts, the rates as numerator and denominator, and handling time in
working days net of holds -- recounted from the facts of every case the period touches, under optional filters.
(The rollups that answer this at ten years of a city are built on the same facts and checked against this recount.)"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime, time, timedelta

from flask import current_app
from sqlalchemy import exists, func, select, union

from app.calendar.deadlines import working_days_between
from app.extensions import db
from app.models import Case, LedgerEntry, utcnow

from .. import errors, policy, reference
from ..errors import T
from ..policy import Principal
from ..taxonomy.trees import node_by_code
from .facts import ACTIONS, CaseFacts, facts_of

CHUNK = 1000  # facts read per batch
MAX_DAYS = 366 * 2  # the longest period one summary recounts


@dataclass(frozen=True)
class Filters:
    department: str | None = None  # a department's code
    category: str | None = None
    channel: str | None = None
    topic: str | None = None  # a topic's code (its own cases, not its children's)
    area: str | None = None  # an area's code
    handler: str | None = None  # who gave the first answer (a user name)


@dataclass(frozen=True)
class Period:
    first: date
    last: date

    def bounds(self) -> tuple[datetime, datetime]:
        zone = reference.zone()
        return (datetime.combine(self.first, time(), zone), datetime.combine(self.last + timedelta(days=1), time(), zone))


def summary(user: Principal, period: Period, filters: Filters) -> dict:
    """Every figure of the period under the filters; a head's figures are their department's."""
    filters = _scoped(user, filters)
    start, end = checked_period(period)
    conditions = _conditions(filters)
    facts = period_facts(start, end, conditions)
    if filters.handler:
        facts = [f for f in facts if f.handler == filters.handler]
    counted = count_figures(facts, start, end, utcnow())
    counted["counts"].update(_at_end(conditions, end, facts if filters.handler else None))
    return {"period": {"from": period.first.isoformat(), "to": period.last.isoformat()},
            "filters": {k: v for k, v in asdict(filters).items() if v}, **counted}


def period_facts(start: datetime, end: datetime, conditions: list) -> list[CaseFacts]:
    """The facts of every case the period touches (received in it, or with a counted event in it)."""
    facts: list[CaseFacts] = []
    ids = list(db.session.scalars(_touched(start, end, conditions)))
    for i in range(0, len(ids), CHUNK):
        facts += facts_of(ids[i:i + CHUNK]).values()
    return facts


def checked_period(period: Period) -> tuple[datetime, datetime]:
    """The period's bounds, or ValidationFailedError when it ends before it starts or is too long."""
    if period.last < period.first:
        raise errors.ValidationFailedError(T('the period ends before it starts'), {"to": [T('Not before "from".')]})
    if (period.last - period.first).days >= MAX_DAYS:
        raise errors.ValidationFailedError(T('the period is too long'), {"to": [
            T('At most %(days)s days.', days=MAX_DAYS)]})
    return period.bounds()


def scoped_conditions(user: Principal, filters: Filters) -> list:
    """The filters as conditions on Case, within what the user may read (a head: their department)."""
    return _conditions(_scoped(user, filters))


def _scoped(user: Principal, filters: Filters) -> Filters:
    policy.require(user, "stats.read")
    if policy.may_everywhere(user, "stats.read"):
        return filters
    own = user.department_code
    if filters.department and filters.department.strip().upper() != own:
        raise errors.ForbiddenError(T('your figures are those of department %(code)s', code=own))
    return replace(filters, department=own)


def _conditions(filters: Filters) -> list:
    conditions = []
    if filters.department:
        found = reference.departments().get(filters.department.strip().upper())
        if found is None:
            raise errors.ValidationFailedError(T('unknown department'), {"department": [
                T('No department %(code)s.', code=filters.department)]})
        conditions.append(Case.department_id == found.id)
    if filters.category:
        conditions.append(Case.category == filters.category)
    if filters.channel:
        conditions.append(Case.channel == filters.channel)
    for kind in ("topic", "area"):
        node = node_by_code(kind, getattr(filters, kind), kind)
        if node is not None:
            conditions.append((Case.topic_id if kind == "topic" else Case.area_id) == node.id)
    return conditions


def _touched(start: datetime, end: datetime, conditions: list):
    """The cases the period touches: received in it, or with a counted event in it."""
    received = select(Case.id).where(Case.received_at >= start, Case.received_at < end, *conditions)
    events = (select(LedgerEntry.case_id).join(Case, Case.id == LedgerEntry.case_id)
              .where(LedgerEntry.at >= start, LedgerEntry.at < end, LedgerEntry.action.in_(ACTIONS), *conditions))
    return union(received, events)


def count_figures(facts: list[CaseFacts], start: datetime, end: datetime, now: datetime) -> dict:
    def within(moment) -> bool:
        return moment is not None and start <= moment < end

    received = [f for f in facts if within(f.received_at)]
    answered = [f for f in facts if within(f.first_answer_at) and f.not_accepted_at is None]  # not a refusal's reasons
    counts = {
        "received": len(received),
        "accepted": sum(within(f.accepted_at) for f in facts),
        "not_accepted": sum(within(f.not_accepted_at) for f in facts),
        "answered": len(answered),
        "closed": sum(within(f.closed_as_closed_at) for f in facts),
        "withdrawn": sum(within(f.withdrawn_at) for f in facts),
        "repeats": sum(f.repeat for f in received),
        "reviews": sum(f.review for f in received),
        **{name: sum(within(at) for f in facts for at in getattr(f, name))
           for name in ("extensions", "breaches", "notices", "escalations", "rehandled")},
    }
    timely = [f for f in answered if f.answer_deadline is not None]
    responded = [f for f in received if f.first_step and (f.first_step[0] is not None or (
        f.first_step[1] is not None and f.first_step[1] < now))]
    verdicts = [v for f in facts for at, v in f.verdicts if within(at) and v in ("resolved", "not_resolved")]
    ratings = [score for f in facts for at, score in f.ratings if within(at)]
    satisfied_from = int(current_app.config["MINYI_SATISFIED_FROM"])
    rates = {
        "on_time": _rate(sum(f.first_answer_at <= f.answer_deadline for f in timely), len(timely)),
        "response": _rate(sum(f.first_step[0] is not None and (f.first_step[1] is None or f.first_step[0] <= f.first_step[1])
                              for f in responded), len(responded)),
        "resolution": _rate(verdicts.count("resolved"), len(verdicts)),
        "satisfaction": _rate(sum(score >= satisfied_from for score in ratings), len(ratings)),
    }
    return {"counts": counts, "rates": rates, "handling_days": _handling_days(answered)}


def _rate(numerator: int, denominator: int) -> dict:
    return {"numerator": numerator, "denominator": denominator,
            "rate": round(numerator / denominator, 4) if denominator else None}


def _handling_days(answered: list[CaseFacts]) -> dict:
    """Working days from receipt to the first answer net of holds: the median and the 90th percentile (nearest rank)."""
    zone, calendar = reference.zone(), reference.work_calendar()
    days = []
    for f in answered:
        held = sum(working_days_between(since, until or f.first_answer_at, zone, calendar)
                   for since, until in f.holds if since < f.first_answer_at)
        days.append(max(0, working_days_between(f.received_at, f.first_answer_at, zone, calendar) - held))
    days.sort()
    return {"cases": len(days), "median": _nearest_rank(days, 0.5), "p90": _nearest_rank(days, 0.9)}


def _nearest_rank(values: list[int], share: float) -> int | None:
    return values[max(0, math.ceil(share * len(values)) - 1)] if values else None


def _at_end(conditions: list, end: datetime, facts: list[CaseFacts] | None) -> dict:
    """Cases received by the end of the period and not final at its end, and those of them not answered by then
    whose deadline had passed (among `facts` when a handler narrows the figures)."""
    if facts is not None:
        still = [f for f in facts if f.received_at < end and (f.closed_at is None or f.closed_at >= end)]
        late = [f for f in still if f.due_at is not None and f.due_at < end
                and (f.first_answer_at is None or f.first_answer_at >= end)]
        return {"open_at_end": len(still), "overdue_at_end": len(late)}
    still = [Case.received_at < end, (Case.closed_at.is_(None)) | (Case.closed_at >= end), *conditions]
    answered = exists().where(LedgerEntry.case_id == Case.id, LedgerEntry.action == "case.answered", LedgerEntry.at < end)
    open_at_end, overdue = db.session.execute(select(
        func.count(), func.count().filter(Case.due_at < end, ~answered)).where(*still)).one()
    return {"open_at_end": open_at_end, "overdue_at_end": overdue}
