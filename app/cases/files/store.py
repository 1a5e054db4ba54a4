"""The file store: bytes under MINYI_ATTACHMENTS_DIR named by their SHA-256 (the same file twice is stored once),
written atomically; a case's attachment row and its ledger entry."""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from flask import current_app

from app.extensions import db
from app.models import Attachment, utcnow

from .. import errors, ledger
from ..errors import T
from .filetypes import content_type_of, safe_filename

CHUNK = 1 << 16


class AttachmentTooLargeError(errors.MinyiError):
    code, http_status = "attachment_too_large", 413


@dataclass(frozen=True)
class CheckedFile:
    """A file whose size and type passed, ready to store."""

    filename: str
    content_type: str
    data: bytes
    sha256: str


def max_bytes() -> int:
    return int(current_app.config["MINYI_ATTACHMENT_MAX_BYTES"])


def too_large_message() -> str:
    return f"the file is larger than the limit of {_size_text(max_bytes())}"


def checked_file(filename: str, stream: BinaryIO) -> CheckedFile:
    """Size and type checked (ValidationFailedError or AttachmentTooLargeError, naming the field `file`)."""
    data = stream.read(max_bytes() + 1)
    if len(data) > max_bytes():
        raise AttachmentTooLargeError(too_large_message(), {"file": [too_large_message()]})
    if not data:
        raise errors.ValidationFailedError(T('the file is empty'), {"file": [T('the file is empty')]})
    return CheckedFile(safe_filename(filename or ""), content_type_of(data, filename or ""), data,
                       hashlib.sha256(data).hexdigest())


def add_attachment(case_id: int, checked: CheckedFile, actor: str) -> Attachment:
    """Store the bytes (once) and record the row and a ledger entry, in the caller's transaction."""
    _store(checked.sha256, checked.data)
    attachment = Attachment(case_id=case_id, filename=checked.filename, content_type=checked.content_type,
                            size=len(checked.data), sha256=checked.sha256, uploaded_by=actor, uploaded_at=utcnow())
    db.session.add(attachment)
    db.session.flush()
    ledger.record(case_id, actor, "attachment.added", attachment=attachment.id, filename=attachment.filename,
                  size=attachment.size, sha256=checked.sha256)
    return attachment


def stored_path(digest: str) -> Path:
    """Where the store keeps the bytes with this checksum (downloads and the archive read them)."""
    return Path(current_app.config["MINYI_ATTACHMENTS_DIR"]) / digest[:2] / digest


def store_bytes(digest: str, data: bytes) -> None:
    """Keep these bytes under their checksum (the archive's restore puts files back)."""
    _store(digest, data)


def checksum(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(CHUNK), b""):
            h.update(chunk)
    return h.hexdigest()


def _store(digest: str, data: bytes) -> None:
    """Write the bytes once under their checksum (atomically); an existing damaged copy is replaced."""
    path = stored_path(digest)
    if path.is_file() and checksum(path) == digest:
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


def _size_text(n: int) -> str:
    return f"{n / (1 << 20):g} MiB" if n >= 1 << 20 else f"{n} bytes"
