"""The cases list: the cases a user may see (the policy's scope, in SQL), filtered, read in keyset order.

Orders, each an index walked from one end:
- newest first (`id` descending): every filter has an index keyed on id (status, category, channel, department,
  department + status); a page reads the newest matches of the most selective one and checks the others on them;
- overdue, most overdue first (`due_at`, `id`): the open cases' due index;
- with a date of receipt (`received_from`, `received_to`): newest received first (`received_at`, `id` descending),
  the receipt index read over that range.

A page ends with a cursor (`next`) that the next request passes as `after`: no OFFSET, so the ten-thousandth page
costs what the first does, and rows added meanwhile neither shift nor repeat. `page` still works for the first
MAX_PAGE pages. The total is counted up to COUNT_CAP + 1 ("1,000+"): an exact count of millions is a full scan.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import and_, or_, select, union
from sqlalchemy.orm import aliased

from app.extensions import db
from app.models import Case, utcnow

from .. import errors, policy
from ..errors import T
from ..policy import Principal
from ..reference import departments
from ..sql import OPEN_CASE, indexed
from .search import case_search_condition
from .task_lists import COUNT_CAP

MAX_PAGE = 50  # past it: `after` (an OFFSET reads and throws away every row before the page)
FEW = 200  # a text search with at most this many matches reads them by id (sorting 200 rows costs ~2 ms)
WINDOW = 20_000  # one with more looks for its page among this many of the newest cases first


@dataclass(frozen=True)
class CasePage:
    items: list
    total: int
    next: str | None


@dataclass(frozen=True)
class Filters:
    status: str | None = None
    category: str | None = None
    channel: str | None = None
    department: str | None = None
    overdue: bool = False
    q: str | None = None
    received_from: datetime | None = None
    received_to: datetime | None = None


def cases(user: Principal, filters: Filters, per_page: int = 20, page: int = 1, after: str | None = None) -> CasePage:
    policy.require(user, "case.list")
    if page > MAX_PAGE and not after:
        raise errors.ValidationFailedError(T('page too deep'), {"page": [
            T('At most page %(n)s: continue with the cursor in "next" (after=…).', n=MAX_PAGE)]})
    stmt = _filtered(user, filters)
    order = _order(filters)
    # The matches, up to COUNT_CAP + 1, in whatever order the database finds them fastest (the count). A text search
    # with few matches reads its page from those ids: the planner cannot tell a rare word from a common one and
    # would walk the table newest-first looking for matches that are not there (at ten million cases, seconds).
    ids = _match_ids(user, filters, stmt)
    total = len(ids)
    offset = 0 if after else (page - 1) * per_page
    rows = None
    if filters.q and total > FEW and order != "due":
        rows = _in_window(user, filters, order, after, offset, per_page + 1)
    if rows is None:
        if filters.q and total <= FEW:
            stmt = select(Case).where(Case.id.in_(ids))
        if after:
            stmt = stmt.where(_after(order, _decode(after, order)))
        rows = db.session.scalars(stmt.order_by(*_columns(order)).offset(offset or None).limit(per_page + 1)).all()
    more, items = len(rows) > per_page, list(rows[:per_page])
    return CasePage(items, total, _encode(order, items[-1]) if more and items else None)


def _in_window(user: Principal, f: Filters, order: str, after: str | None, offset: int, limit: int) -> list | None:
    """A text in many titles: its page among the newest WINDOW cases of the other filters, walked in the list's order
    with the text checked on each -- or None when fewer than a page matched there (then the usual plan). Given the
    whole search, PostgreSQL misjudges a common text as rare (its estimate knows no trigram) and fetches every match
    to sort them: 50,000 rows and 450 ms at ten million cases, against 4 ms for this walk."""
    inner = _filtered(user, replace(f, q=None))
    if after:
        inner = inner.where(_after(order, _decode(after, order)))
    window = aliased(Case, inner.order_by(*_columns(order)).limit(WINDOW).subquery("w"))
    rows = db.session.scalars(select(window).where(case_search_condition(f.q, on=window, table="w"))
                              .order_by(*_columns(order, window)).offset(offset or None).limit(limit)).all()
    return rows if len(rows) == limit else None


def _match_ids(user: Principal, f: Filters, stmt) -> list[int]:
    """Up to COUNT_CAP + 1 ids of the matches. A text search by someone who sees their department's cases and the
    cases their queues held searches each of those apart and joins the ids: under an OR of the two, PostgreSQL can
    combine neither with the text index and reads every title match of the city to find their department's (at ten
    million cases a text common elsewhere and absent from theirs took 6 s); apart, the department's share is one
    search of the index keyed on (department, title) and the queues' share a few rows by id."""
    parts = policy.case_scope_parts(user)
    if not (f.q and f.q.strip()) or parts is None or len(parts) < 2:
        return list(db.session.scalars(stmt.with_only_columns(Case.id).order_by(None).limit(COUNT_CAP + 1)))
    unscoped = _filtered(user, f, scoped=False).with_only_columns(Case.id).order_by(None).limit(COUNT_CAP + 1)
    branches = [unscoped.where(part).subquery() for part in parts]
    joined = union(*(select(b.c.id) for b in branches)).subquery()
    return list(db.session.scalars(select(joined.c.id).limit(COUNT_CAP + 1)))


def _filtered(user: Principal, f: Filters, scoped: bool = True):
    stmt = select(Case)
    scope = policy.case_scope(user) if scoped else None
    if scope is not None:
        stmt = stmt.where(scope)
    if f.status:
        stmt = stmt.where(Case.status == f.status)
    if f.category:
        stmt = stmt.where(Case.category == f.category)
    if f.channel:
        stmt = stmt.where(Case.channel == f.channel)
    if f.department:  # the id itself (cached), so the planner knows which department's share it reads
        found = departments().get(f.department.strip().upper())
        stmt = stmt.where(Case.department_id == (found.id if found else -1))
    if f.received_from:
        stmt = stmt.where(Case.received_at >= f.received_from)
    if f.received_to:
        stmt = stmt.where(Case.received_at < f.received_to)
    if f.q and f.q.strip():
        stmt = stmt.where(case_search_condition(f.q))
    if f.overdue:
        stmt = indexed(stmt.where(OPEN_CASE, Case.due_at < utcnow()), Case, "ix_case_open_due")
    return stmt


def _order(f: Filters) -> str:
    if f.overdue:
        return "due"
    if f.received_from or f.received_to:
        return "received"
    return "newest"


def _columns(order: str, on=Case) -> tuple:
    return {"due": (on.due_at, on.id), "received": (on.received_at.desc(), on.id.desc()),
            "newest": (on.id.desc(),)}[order]


def _after(order: str, key: tuple):
    if order == "newest":
        return Case.id < key[0]
    moment, last_id = key
    column = Case.due_at if order == "due" else Case.received_at
    if order == "due":
        return or_(column > moment, and_(column == moment, Case.id > last_id))
    return or_(column < moment, and_(column == moment, Case.id < last_id))


def _encode(order: str, case: Case) -> str:
    key = [case.id] if order == "newest" else [
        (case.due_at if order == "due" else case.received_at).isoformat(), case.id]
    raw = json.dumps([order, *key], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(token: str, order: str) -> tuple:
    try:
        found = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        if found[0] != order:
            raise ValueError("another order's cursor")
        if order == "newest":
            return (int(found[1]),)
        return datetime.fromisoformat(found[1]), int(found[2])
    except (ValueError, TypeError, IndexError, KeyError) as exc:
        raise errors.ValidationFailedError(T('bad cursor'), {"after": [T('Not a cursor this list handed out.')]}) from exc
