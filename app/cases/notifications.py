"""In-app notifications: raising them, what a user sees (addressed to them
or to one of their groups), and marking read."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from app.extensions import db
from app.models import Notification, utcnow

from . import errors
from .errors import T
from .policy import Principal
from .transaction import transaction


def _visible_to(user: Principal):
    return or_(Notification.recipient_user == user.username, Notification.recipient_group.in_(sorted(user.groups)))


def notifications_for(user: Principal, unread_only: bool = False, page: int = 1, per_page: int = 50):
    stmt = select(Notification).where(_visible_to(user))
    if unread_only:
        stmt = stmt.where(Notification.read_at.is_(None))
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery()))
    items = db.session.scalars(stmt.order_by(Notification.id.desc()).offset((page - 1) * per_page).limit(per_page)).all()
    return list(items), total or 0


def unread_count(user: Principal, cap: int = 99) -> int:
    """How many notifications the user has not read, counted up to cap + 1 (the header shows "99+")."""
    limited = select(Notification.id).where(_visible_to(user), Notification.read_at.is_(None)).limit(cap + 1).subquery()
    return db.session.scalar(select(func.count()).select_from(limited)) or 0


def mark_read(user: Principal, notification_id: int) -> Notification:
    note = db.session.scalar(select(Notification).where(Notification.id == notification_id, _visible_to(user)))
    if note is None:
        raise errors.NotFoundError(T('no notification %(notification_id)s', notification_id=notification_id))
    if note.read_at is None:
        with transaction():
            db.session.execute(update(Notification).where(Notification.id == note.id).values(read_at=utcnow()))
        db.session.refresh(note)
    return note


_notifications = Notification.__table__


def notify(rows: list[dict[str, Any]]) -> None:
    """In-app notifications; a repeated event (same dedupe key) is ignored. One statement whatever the number of
    rows: a burst of deadlines notifies thousands at once."""
    if not rows:
        return
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    by_key = {row["dedupe_key"]: row for row in rows}
    db.session.execute(dialect.insert(_notifications).on_conflict_do_nothing(index_elements=["dedupe_key"]),
                       list(by_key.values()))
