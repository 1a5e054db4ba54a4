"""The summary of a period (docs/statistics.md): counts, the rates as numerator and denominator, and handling time in
working days net of holds -- read from the rollups (rollups.py), or, under a filter the rollups do not keep,
recounted from the facts of every case the period touches (the same contributions, summed here)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import date, datetime, time, timedelta

from sqlalchemy import exists, func, select, union

from app.extensions import db
from app.models import Case, LedgerEntry

from .. import errors, policy, reference
from ..errors import T
from ..policy import Principal
from ..taxonomy.trees import node_by_code
from .contribution import contribution, counted_department, end_of, figures, summed
from .facts import ACTIONS, CaseFacts, facts_of
from .rollups import Rollups

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

    def before(self) -> Period:
        """The period of the same length just before this one."""
        length = (self.last - self.first).days + 1
        return Period(self.first - timedelta(days=length), self.first - timedelta(days=1))

    def span(self) -> dict:
        return {"from": self.first.isoformat(), "to": self.last.isoformat()}


def summary(user: Principal, period: Period, filters: Filters) -> dict:
    """Every figure of the period under the filters; a head's figures are their department's. Read from the rollups;
    with a topic, area or handler (not kept in the rollups) recounted from the cases' rows."""
    filters = scoped(user, filters)
    checked_period(period)
    if filters.topic or filters.area or filters.handler:
        counted = _recounted(period, filters)
    else:
        read = Rollups().read(period.first, period.last, rollup_where(filters))
        counted = figures(*read.of())
        if read.waiting:
            counted["waiting"] = read.waiting
    return {"period": {"from": period.first.isoformat(), "to": period.last.isoformat()},
            "filters": {k: v for k, v in asdict(filters).items() if v}, **counted}


def rollup_where(filters: Filters, **more) -> dict:
    """The department, category and channel filters as the rollups' dimensions."""
    where = dict(more)
    if filters.department:
        where["department_id"] = department_named(filters.department).id
    if filters.category:
        where["category"] = filters.category
    if filters.channel:
        where["channel"] = filters.channel
    return where


def _recounted(period: Period, filters: Filters) -> dict:
    facts = recount_facts(period, filters)
    counted = figures(*summed([contribution(f) for f in facts], period.first, period.last))
    at_end = Period(period.first, end_of(period.last)).bounds()[1]
    counted["counts"].update(_at_end(_conditions(filters), at_end, facts if filters.handler else None))
    return counted


def recount_facts(period: Period, filters: Filters) -> list[CaseFacts]:
    """The facts of the cases the period touches that count under the filters (the department a case counts for,
    the handler of its first answer)."""
    start, end = period.bounds()
    facts = period_facts(start, end, _conditions(filters))
    if filters.handler:
        facts = [f for f in facts if f.handler == filters.handler]
    if filters.department:
        department = department_named(filters.department).id
        facts = [f for f in facts if counted_department(f) == department]
    return facts


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
    return _conditions(scoped(user, filters))


def scoped(user: Principal, filters: Filters) -> Filters:
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
        conditions.append(Case.department_id == department_named(filters.department).id)
    if filters.category:
        conditions.append(Case.category == filters.category)
    if filters.channel:
        conditions.append(Case.channel == filters.channel)
    for kind in ("topic", "area"):
        node = node_by_code(kind, getattr(filters, kind), kind)
        if node is not None:
            conditions.append((Case.topic_id if kind == "topic" else Case.area_id) == node.id)
    return conditions


def department_named(code: str):
    found = reference.departments().get(code.strip().upper())
    if found is None:
        raise errors.ValidationFailedError(T('unknown department'), {"department": [T('No department %(code)s.', code=code)]})
    return found


def _touched(start: datetime, end: datetime, conditions: list):
    """The cases the period touches: received in it, or with a counted event in it."""
    received = select(Case.id).where(Case.received_at >= start, Case.received_at < end, *conditions)
    events = (select(LedgerEntry.case_id).join(Case, Case.id == LedgerEntry.case_id)
              .where(LedgerEntry.at >= start, LedgerEntry.at < end, LedgerEntry.action.in_(ACTIONS), *conditions))
    return union(received, events)


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
