"""Attachments of a case: stored outside the database under MINYI_ATTACHMENTS_DIR, named by their SHA-256
(the same file twice is stored once), checked against that checksum before every download.

Whoever works on the case may attach files to it and download them (policy action attachment.use): not
analysts or process owners, who see cases without personal data.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from pathlib import Path
from typing import BinaryIO

from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.models import Attachment, utcnow

from .. import errors, ledger, policy, records
from ..errors import T
from ..policy import Principal
from ..transaction import transaction
from .filetypes import content_type_of, safe_filename

log = logging.getLogger(__name__)
CHUNK = 1 << 16


class AttachmentTooLargeError(errors.MinyiError):
    code, http_status = "attachment_too_large", 413


class AttachmentTamperedError(errors.MinyiError):
    """The stored file no longer has the checksum it was stored under: it is not served."""

    code, http_status = "attachment_tampered", 500


def max_bytes() -> int:
    return int(current_app.config["MINYI_ATTACHMENT_MAX_BYTES"])


def too_large_message() -> str:
    return f"the file is larger than the limit of {_size_text(max_bytes())}"


def attach_file(user: Principal, number: str, filename: str, stream: BinaryIO) -> Attachment:
    """Check size and type, store the bytes by checksum (once), record the row and a ledger entry."""
    case = records.case_by_number(number)
    policy.require(user, "attachment.use", case)
    data = stream.read(max_bytes() + 1)
    if len(data) > max_bytes():
        raise AttachmentTooLargeError(too_large_message(), {"file": [too_large_message()]})
    if not data:
        raise errors.ValidationFailedError(T('the file is empty'), {"file": [T('the file is empty')]})
    content_type = content_type_of(data, filename or "")
    digest = hashlib.sha256(data).hexdigest()
    _store(digest, data)
    with transaction():
        attachment = Attachment(case_id=case.id, filename=safe_filename(filename or ""), content_type=content_type,
                                size=len(data), sha256=digest, uploaded_by=user.username, uploaded_at=utcnow())
        db.session.add(attachment)
        db.session.flush()
        ledger.record(case.id, user.username, "attachment.added", attachment=attachment.id, filename=attachment.filename,
                      size=attachment.size, sha256=digest)
    return attachment


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
    path = _path(attachment.sha256)
    if not path.is_file():
        raise AttachmentTamperedError(T('the file of attachment %(attachment_id)s is missing from the store', attachment_id=attachment_id))
    if _checksum(path) != attachment.sha256:
        log.error("attachment %s: %s no longer has its checksum", attachment_id, path)
        raise AttachmentTamperedError(
            T('the file of attachment %(attachment_id)s was changed on disk (checksum mismatch); it is not served',
              attachment_id=attachment_id))
    return attachment, path


def _store(digest: str, data: bytes) -> None:
    """Write the bytes once under their checksum (atomically); an existing damaged copy is replaced."""
    path = _path(digest)
    if path.is_file() and _checksum(path) == digest:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def stored_path(digest: str) -> Path:
    """Where the store keeps the bytes with this checksum (the archive reads and writes them too)."""
    return _path(digest)


def store_bytes(digest: str, data: bytes) -> None:
    """Keep these bytes under their checksum (the archive's restore puts files back)."""
    _store(digest, data)


def _path(digest: str) -> Path:
    return Path(current_app.config["MINYI_ATTACHMENTS_DIR"]) / digest[:2] / digest


def _checksum(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(CHUNK), b""):
            h.update(chunk)
    return h.hexdigest()


def _size_text(n: int) -> str:
    return f"{n / (1 << 20):g} MiB" if n >= 1 << 20 else f"{n} bytes"
