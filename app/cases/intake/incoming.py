"""E-mail that came in (the incoming queue): each mail once, by its Message-ID. A mail from a petitioner's own
address that names their case (its number in the subject, or a reply to one of Minyi's messages) joins that case
as a message from the petitioner, files and all; any other (a mail naming a case from another address included:
anyone can type a number) waits for an intake clerk, who registers it as a case (prefilled from the mail, its files
carried over) or rejects it with a reason."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite

from app.extensions import db
from app.models import Case, Counter, IncomingItem, Petitioner, utcnow

from .. import errors, ledger, policy
from ..errors import T
from ..files.store import CheckedFile, add_attachment, checked_file, store_bytes, stored_path
from ..policy import Principal
from ..transaction import transaction
from .appeal import Appeal
from .registration import Intake, register_case

OUR_MESSAGE = re.compile(r"<minyi\.\d{1,10}\.(\d{1,10})@")  # outgoing.message_id: <minyi.ROW.CASE@domain>
MAX_ID = 2**31 - 1
CASE_NUMBER = re.compile(r"(?<!\d)(\d{14})(?!\d)")
BODY_IN_LEDGER = 4000  # characters of a petitioner's mail kept in the case's ledger (the item keeps it whole)
_items = IncomingItem.__table__


@dataclass(frozen=True)
class Mail:
    """A mail as the e-mail channel parsed it."""

    message_id: str
    sender: str
    sender_name: str
    subject: str
    body: str
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()
    files: tuple[CheckedFile, ...] = ()
    refused_files: tuple[str, ...] = field(default=())  # "name: why", for the clerk to read


def receive_mail(mail: Mail) -> IncomingItem | None:
    """File one mail; None when its Message-ID came before (fetching again changes nothing)."""
    with transaction():
        named = _case_named(mail)
        # Only the petitioner's own address joins their case: anyone can write a case number in a subject
        case = named if named is not None and _from_petitioner(named, mail) else None
        note = [*mail.refused_files]
        if named is not None and case is None:
            note.insert(0, f"names case {named.number}, but the sender is not its petitioner's address")
        for checked in mail.files:
            store_bytes(checked.sha256, checked.data)
        row = {"source": "email", "message_id": mail.message_id[:300], "received_at": utcnow(),
               "sender": mail.sender[:200], "sender_name": mail.sender_name[:200], "subject": mail.subject[:500],
               "body": mail.body, "in_reply_to": (mail.in_reply_to or "")[:300] or None,
               "files": [{"filename": f.filename, "content_type": f.content_type, "size": len(f.data), "sha256": f.sha256}
                         for f in mail.files],
               "state": "attached" if case else "new", "case_id": case.id if case else None,
               "note": "\n".join(note) or None}
        dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
        new_id = db.session.execute(dialect.insert(_items).values(row).on_conflict_do_nothing(
            index_elements=["message_id"]).returning(_items.c.id)).scalar()
        if new_id is None:
            return None
        if case is not None:
            _join_case(case, new_id, mail)
    return db.session.get(IncomingItem, new_id)


def _from_petitioner(case: Case, mail: Mail) -> bool:
    petitioner = db.session.scalar(select(Petitioner).where(Petitioner.case_id == case.id))
    return bool(petitioner and petitioner.email and mail.sender
                and petitioner.email.strip().casefold() == mail.sender.strip().casefold())


def _join_case(case: Case, item_id: int, mail: Mail) -> None:
    ledger.record(case.id, ledger.PETITIONER, "case.petitioner_message", item=item_id, subject=mail.subject[:500],
                  body=mail.body[:BODY_IN_LEDGER], sender=mail.sender[:200], from_petitioner=True,
                  files=[f.filename for f in mail.files])
    for checked in mail.files:
        add_attachment(case.id, checked, ledger.PETITIONER)


def _case_named(mail: Mail) -> Case | None:
    """The case a reply answers (the Message-ID of one of our messages), else the case whose number the subject holds."""
    for reference in (mail.in_reply_to or "", *mail.references):
        found = OUR_MESSAGE.search(reference)
        if found and int(found.group(1)) <= MAX_ID:
            case = db.session.get(Case, int(found.group(1)))
            if case is not None:
                return case
    for number in CASE_NUMBER.findall(mail.subject or ""):
        case = db.session.scalar(select(Case).where(Case.number == number))
        if case is not None:
            return case
    return None


def incoming_items(user: Principal, state: str | None = "new", before: int | None = None, limit: int = 50) -> list[IncomingItem]:
    policy.require(user, "incoming.work")
    stmt = select(IncomingItem)
    if state:
        stmt = stmt.where(IncomingItem.state == state)
    if before:
        stmt = stmt.where(IncomingItem.id < before)
    return list(db.session.scalars(stmt.order_by(IncomingItem.id.desc()).limit(limit)))


def incoming_item(user: Principal, item_id: int) -> IncomingItem:
    policy.require(user, "incoming.work")
    item = db.session.get(IncomingItem, item_id)
    if item is None:
        raise errors.NotFoundError(T('no incoming item %(item_id)s', item_id=item_id))
    return item


def register_incoming(user: Principal, item_id: int, appeal: Appeal) -> Intake:
    """The clerk's appeal, made from the mail: a case with the mail's files, in one transaction; the item is taken
    once (a second clerk at the same moment gets a conflict)."""
    item = incoming_item(user, item_id)
    policy.require(user, "case.register")
    files = [_from_store(f) for f in item.files]
    with transaction():
        _take(item.id, "registered", user.username)
        intake = register_case(appeal, user.username)
        case_id = db.session.scalar(select(Case.id).where(Case.number == intake.number))
        for checked in files:
            add_attachment(case_id, checked, user.username)
        db.session.execute(update(IncomingItem).where(IncomingItem.id == item.id).values(case_id=case_id))
    return intake


def reject_incoming(user: Principal, item_id: int, reason: str, note: str | None) -> IncomingItem:
    from app.models import REJECT_REASONS

    item = incoming_item(user, item_id)
    if reason not in REJECT_REASONS:
        raise errors.ValidationFailedError(T('choose why it is rejected'), {"reason": [
            T('one of %(choices)s', choices=", ".join(REJECT_REASONS))]})
    with transaction():
        _take(item.id, "rejected", user.username, reason=reason, note=(note or "").strip()[:2000] or item.note)
    db.session.refresh(item)
    return item


def _take(item_id: int, state: str, actor: str, **values) -> None:
    taken = db.session.execute(update(IncomingItem).where(IncomingItem.id == item_id, IncomingItem.state == "new")
                               .values(state=state, decided_by=actor, decided_at=utcnow(), **values))
    if taken.rowcount != 1:
        raise errors.ConflictError(T('this mail has been dealt with already'))


def _from_store(entry: dict) -> CheckedFile:
    path = stored_path(entry["sha256"])
    with path.open("rb") as stream:
        return checked_file(entry["filename"], stream)


def mail_checkpoint(key: str) -> int:
    """The last mailbox UID fetched under this key (mailbox and UIDVALIDITY), 0 at first."""
    return db.session.scalar(select(Counter.value).where(Counter.name == key[:50])) or 0


def advance_checkpoint(key: str, uid: int) -> None:
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    table = Counter.__table__
    with transaction():
        db.session.execute(dialect.insert(table).values(name=key[:50], value=uid).on_conflict_do_update(
            index_elements=["name"], set_={"value": uid}))
