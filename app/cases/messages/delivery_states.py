"""The life of an outbox row as the sender sees it: claimed (committed before anything leaves, so two senders
never take one row), sent, failed (tried again later with a growing pause, then dead), or left uncertain when
a sender stopped while sending (it may have left: never re-sent by itself; an administrator decides).
Administrators list rows and send a dead or uncertain one again. Each outcome of a case's message is in its ledger.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, or_, select, update

from app.extensions import db
from app.models import Case, OutboxMessage, utcnow

from .. import errors, ledger
from ..errors import T
from ..policy import NOT_CONFIDENTIAL
from ..transaction import transaction

SENDER = "system"
RETRYABLE = ("dead", "uncertain")


@dataclass(frozen=True)
class Outgoing:
    """What a transport needs to send one message, and the claim that lets its sender record the outcome."""

    id: int
    case_id: int | None
    kind: str | None
    channel: str
    recipient: str
    locale: str
    subject: str | None
    body: str
    attempts: int
    claimed_at: datetime | None = None


MASK = "••••••••"
_COLUMNS = (OutboxMessage.id, OutboxMessage.case_id, OutboxMessage.kind, OutboxMessage.channel, OutboxMessage.recipient,
            OutboxMessage.locale, OutboxMessage.subject, OutboxMessage.body, OutboxMessage.attempts)


def claim_due(limit: int = 20) -> list[Outgoing]:
    """Take up to `limit` messages whose attempt is due (oldest first) and commit them as sending: one UPDATE ...
    RETURNING, so a row is taken by exactly one sender (PostgreSQL skips rows another sender holds; SQLite runs one
    writer at a time and the status is checked again in the statement)."""
    now = utcnow()
    due = (select(OutboxMessage.id).where(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now)
           .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id).limit(limit).with_for_update(skip_locked=True))
    with transaction():
        rows = db.session.execute(
            update(OutboxMessage).where(OutboxMessage.id.in_(due.scalar_subquery()), OutboxMessage.status == "pending")
            .values(status="sending", claimed_at=now, attempts=OutboxMessage.attempts + 1).returning(*_COLUMNS)
            .execution_options(synchronize_session=False)).all()
    return sorted((Outgoing(r.id, r.case_id, r.kind, r.channel, r.recipient or "", r.locale or "zh", r.subject,
                            r.body or "", r.attempts, now) for r in rows), key=lambda m: m.id)


def _claimed(message: Outgoing, *states: str) -> OutboxMessage | None:
    """The row while this sender's claim on it stands (its claim time, and one of `states`), locked, read afresh (the
    claim was an UPDATE the session's copy of the row, if it holds one, has not seen)."""
    return db.session.scalar(select(OutboxMessage).where(
        OutboxMessage.id == message.id, OutboxMessage.claimed_at == message.claimed_at,
        OutboxMessage.status.in_(states)).with_for_update().execution_options(populate_existing=True))


def mark_sent(message: Outgoing) -> bool:
    """Delivered: the secret it held (a receipt's access code, an answer's rating link) is blanked from the stored
    copy; the case's ledger says so. A row declared uncertain meanwhile is now known to be sent. False when another
    sender's claim replaced this one (an administrator sent it again): that one records its own outcome."""
    with transaction():
        row = _claimed(message, "sending", "uncertain")
        if row is None:
            return False
        row.status, row.sent_at, row.last_error = "sent", utcnow(), None
        if row.secret:
            row.body = (row.body or "").replace(row.secret, MASK)
            row.secret = None
        if row.case_id is not None:
            ledger.record(row.case_id, SENDER, "message.sent", message=row.id, kind=row.kind, channel=row.channel,
                          attempt=row.attempts)
    return True


def mark_failed(message: Outgoing, problem: str) -> str:
    """A failed attempt: tried again after a pause that doubles each time, dead after the last attempt (the
    case's ledger says so). Returns the row's new status ('' when this sender's claim no longer stands)."""
    config = current_app.config
    with transaction():
        row = _claimed(message, "sending")
        if row is None:
            return ""
        row.last_error = problem[:2000]
        if row.attempts >= config["MINYI_MESSAGE_ATTEMPTS"]:
            row.status = "dead"
            if row.case_id is not None:
                ledger.record(row.case_id, SENDER, "message.failed", message=row.id, kind=row.kind, channel=row.channel,
                              attempts=row.attempts, error=problem[:500])
        else:
            pause = config["MINYI_MESSAGE_RETRY_SECONDS"] * 2 ** (row.attempts - 1)
            row.status, row.next_attempt_at = "pending", utcnow() + timedelta(seconds=pause)
        return row.status


def mark_uncertain_after(seconds: float) -> int:
    """Rows left sending longer than `seconds` (their sender stopped mid-send) become uncertain: the message may
    have left, so it is not sent again unless an administrator says so."""
    before = utcnow() - timedelta(seconds=seconds)
    with transaction():
        rows = db.session.scalars(select(OutboxMessage).where(OutboxMessage.status == "sending",
                                                              OutboxMessage.claimed_at < before)
                                  .with_for_update(skip_locked=True)).all()
        for row in rows:
            row.status = "uncertain"
            row.last_error = "the sender stopped while sending; it may have been delivered"
            if row.case_id is not None:
                ledger.record(row.case_id, SENDER, "message.uncertain", message=row.id, kind=row.kind, channel=row.channel)
    return len(rows)


def retry_message(message_id: int, actor: str) -> OutboxMessage:
    """An administrator sends a dead or uncertain message again (at the next delivery round)."""
    with transaction():
        row = db.session.get(OutboxMessage, message_id, with_for_update=True, populate_existing=True)
        if row is None:
            raise errors.NotFoundError(T('no message %(message_id)s', message_id=message_id))
        if row.status not in RETRYABLE:
            raise errors.ConflictError(T('only a dead or uncertain message can be sent again; this one is %(status)s',
                                         status=row.status))
        row.status, row.attempts, row.next_attempt_at, row.claimed_at = "pending", 0, utcnow(), None
        if row.case_id is not None:
            ledger.record(row.case_id, actor, "message.retried", message=row.id, kind=row.kind, channel=row.channel)
    db.session.refresh(row)
    return row


def shown_body(message: OutboxMessage) -> str:
    """The text as staff may read it: a secret not yet blanked (a pending receipt's code, a rating link) masked."""
    body = message.body or ""
    return body.replace(message.secret, MASK) if message.secret else body


def messages_page(status: str | None = None, before: int | None = None, limit: int = 50,
                  cleared: bool = False) -> list[dict]:
    """The newest messages first (keyset by id), with their case numbers and the text staff may read; `status`
    narrows them; those about confidential cases for staff `cleared` for them only."""
    stmt = select(OutboxMessage, Case.number).outerjoin(Case, Case.id == OutboxMessage.case_id)
    if not cleared:
        stmt = stmt.where(or_(OutboxMessage.case_id.is_(None), NOT_CONFIDENTIAL))
    if status:
        stmt = stmt.where(OutboxMessage.status == status)
    if before:
        stmt = stmt.where(OutboxMessage.id < before)
    rows = db.session.execute(stmt.order_by(OutboxMessage.id.desc()).limit(limit)).all()
    return [{"message": m, "number": number, "body": shown_body(m)} for m, number in rows]


SENT_COUNT_CAP = 10_000


def message_counts(cap: int | None = SENT_COUNT_CAP) -> dict[str, int]:
    """Messages per state. The unsent are few and counted exactly (their partial index); the sent -- nearly the
    whole table after some years -- are counted up to `cap` + 1 (more than `cap`), or all when `cap` is None."""
    counts = dict(db.session.execute(select(OutboxMessage.status, func.count())
                                     .where(OutboxMessage.status != "sent").group_by(OutboxMessage.status)).all())
    sent = select(OutboxMessage.id).where(OutboxMessage.status == "sent")
    if cap is not None:
        sent = sent.limit(cap + 1)
    counts["sent"] = db.session.scalar(select(func.count()).select_from(sent.subquery()))
    return counts


def sent_to_petitioner(case_id: int) -> list[OutboxMessage]:
    """What the petitioner was sent about the case, oldest first (for /track)."""
    return list(db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.case_id == case_id, OutboxMessage.status == "sent").order_by(OutboxMessage.id)))
