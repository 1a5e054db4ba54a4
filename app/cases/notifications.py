"""In-app notifications: raising them (and e-mailing them to staff who asked), what a user sees (addressed to them
or to one of their groups), and marking read."""

from __future__ import annotations

from typing import Any

from flask import current_app
from marshmallow import ValidationError, validate
from sqlalchemy import func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from app.extensions import db
from app.models import Department, Notification, OutboxMessage, User, utcnow

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


_notifications, _outbox = Notification.__table__, OutboxMessage.__table__


def notify(rows: list[dict[str, Any]]) -> None:
    """In-app notifications, and an e-mail of each to the staff it reaches who asked for one; a repeated event (same
    dedupe key) is ignored. A few statements whatever the number of rows: a burst of deadlines notifies thousands."""
    if not rows:
        return
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    by_key = {row["dedupe_key"]: row for row in rows}
    inserted = db.session.execute(
        dialect.insert(_notifications).on_conflict_do_nothing(index_elements=["dedupe_key"])
        .returning(_notifications.c.id, _notifications.c.dedupe_key),
        list(by_key.values()),
    ).all()
    if inserted:
        _mail_staff([(note.id, by_key[note.dedupe_key]) for note in inserted])


def _mail_staff(notes: list[tuple[int, dict[str, Any]]]) -> None:
    """An outbox row per notification and per person it reaches (directly or through a group) who wants e-mail."""
    readers = db.session.execute(
        select(User.username, User.email, User.roles_text, Department.code).outerjoin(Department, Department.id == User.department_id)
        .where(User.notify_by_email.is_(True), User.active.is_(True), User.email.is_not(None))).all()
    if not readers:
        return
    link = current_app.config["MINYI_PUBLIC_URL"].rstrip("/") + "/notifications"
    now, out = utcnow(), []
    for note_id, row in notes:
        for reader in readers:
            roles = [r for r in reader.roles_text.split(",") if r]
            groups = {*roles, *(f"{r}@{reader.code}" for r in roles if reader.code)}
            if row.get("recipient_user") != reader.username and row.get("recipient_group") not in groups:
                continue
            subject = STAFF_SUBJECT.format(" ".join(row["message"].split())[:80])  # one line: a header
            out.append({"notification_id": note_id, "case_id": None, "kind": "staff", "channel": "email",
                        "recipient": reader.email, "locale": "zh", "subject": subject,
                        "body": f"{row['message']}\n\n{link}", "dedupe_key": f"staff:{note_id}:{reader.username}",
                        "status": "pending", "attempts": 0, "next_attempt_at": now, "created_at": now})
    if out:
        db.session.execute(_outbox.insert(), out)


STAFF_SUBJECT = "民意诉求提醒 Minyi: {}"


def mail_preference(username: str) -> tuple[str | None, bool]:
    row = db.session.execute(select(User.email, User.notify_by_email).where(User.username == username)).first()
    return (row.email, bool(row.notify_by_email)) if row else (None, False)


def set_mail_preference(username: str, email: str | None, wanted: bool) -> User:
    """Whether a user's notifications also go to them by e-mail, and to which address."""
    email = (email or "").strip() or None
    if wanted and not email:
        raise errors.ValidationFailedError(T('an e-mail address is needed'), {"email": [T('an e-mail address is needed')]})
    if email and (len(email) > 200 or not _is_email(email)):
        raise errors.ValidationFailedError(T('not an e-mail address'), {"email": [T('not an e-mail address')]})
    with transaction():
        user = db.session.scalar(select(User).where(User.username == username))
        if user is None:
            raise errors.NotFoundError(T('no user %(username)s', username=username))
        user.email, user.notify_by_email = email, wanted
    return user


def _is_email(value: str) -> bool:
    try:
        validate.Email()(value)
    except ValidationError:
        return False
    return True
