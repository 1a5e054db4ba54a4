"""Attachments of a case, as staff use them: kept by the file store (files/store.py), checked against their
checksum before every download.

Whoever works on the case may attach files to it and download them (policy action attachment.use): not
analysts or process owners, who see cases without personal data.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import select

from app.extensions import db
from app.models import Attachment

from .. import errors, policy, records
from ..errors import T
from ..files.store import add_attachment, checked_file, checksum, stored_path
from ..policy import Principal
from ..transaction import transaction

log = logging.getLogger(__name__)


class AttachmentTamperedError(errors.MinyiError):
    """The stored file no longer has the checksum it was stored under: it is not served."""

    code, http_status = "attachment_tampered", 500


def attach_file(user: Principal, number: str, filename: str, stream: BinaryIO) -> Attachment:
    """Check size and type, store the bytes by checksum (once), record the row and a ledger entry."""
    case = records.case_by_number(number)
    policy.require(user, "attachment.use", case)
    checked = checked_file(filename, stream)
    with transaction():
        return add_attachment(case.id, checked, user.username)


def attachments_of(user: Principal, number: str) -> list[Attachment]:
    case = records.case_by_number(number)
    policy.require(user, "attachment.use", case)
    return case_attachments(case.id)


def case_attachments(case_id: int) -> list[Attachment]:
    return list(db.session.scalars(select(Attachment).where(Attachment.case_id == case_id).order_by(Attachment.id)))


def attachment_for_download(user: Principal, attachment_id: int, number: str | None = None) -> tuple[Attachment, Path]:
    """The attachment (of a case the user may see) and its verified file on disk."""
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None:
        raise errors.NotFoundError(T('no attachment %(attachment_id)s', attachment_id=attachment_id))
    case = records.case_by_id(attachment.case_id)
    policy.require(user, "attachment.use", case)
    if number is not None and case.number != number:
        raise errors.NotFoundError(T('no attachment %(attachment_id)s on case %(number)s', attachment_id=attachment_id, number=number))
    path = stored_path(attachment.sha256)
    if not path.is_file():
        raise AttachmentTamperedError(T('the file of attachment %(attachment_id)s is missing from the store', attachment_id=attachment_id))
    if checksum(path) != attachment.sha256:
        log.error("attachment %s: %s no longer has its checksum", attachment_id, path)
        raise AttachmentTamperedError(
            T('the file of attachment %(attachment_id)s was changed on disk (checksum mismatch); it is not served',
              attachment_id=attachment_id))
    return attachment, path
