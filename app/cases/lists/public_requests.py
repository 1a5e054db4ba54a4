"""The cases Open311 apps may read: those that came in through Open311, by number, service, date and open/closed,
newest first, read through the (channel, received_at, id) index. A confidential case is never among them."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from app.extensions import db
from app.models import FINAL_STATUSES, Case, utcnow

from ..policy import NOT_CONFIDENTIAL

DEFAULT_DAYS = 90  # the standard: without dates, the last 90 days
MAX_ITEMS = 1000


def open311_requests(numbers: list[str] | None = None, categories: list[str] | None = None,
                     start: datetime | None = None, end: datetime | None = None, status: str | None = None) -> list[Case]:
    stmt = select(Case).where(Case.channel == "open311", NOT_CONFIDENTIAL)
    if numbers:
        stmt = stmt.where(Case.number.in_([n[:32] for n in numbers[:MAX_ITEMS]]))
    else:
        if start is None and end is None:
            start = utcnow() - timedelta(days=DEFAULT_DAYS)
        if start is not None:
            stmt = stmt.where(Case.received_at >= start)
        if end is not None:
            stmt = stmt.where(Case.received_at <= end)
    if categories:
        stmt = stmt.where(Case.category.in_(categories))
    if status == "closed":
        stmt = stmt.where(Case.status.in_(sorted(FINAL_STATUSES)))
    elif status == "open":
        stmt = stmt.where(Case.status.not_in(sorted(FINAL_STATUSES)))
    return list(db.session.scalars(stmt.order_by(Case.received_at.desc(), Case.id.desc()).limit(MAX_ITEMS)))


def open311_request(number: str) -> Case | None:
    return db.session.scalar(select(Case).where(Case.number == number[:32], Case.channel == "open311", NOT_CONFIDENTIAL))
