"""A CSV file sent to a page or the API (the topics, the areas, the dispatch table): a multipart field `file` or,
for the API, the body itself; UTF-8 (a BOM is fine), at most MAX_BYTES."""

from __future__ import annotations

from flask import request

from app.cases.errors import T, ValidationFailedError

MAX_BYTES = 2 * 1024 * 1024


def uploaded_csv(body_too: bool = False) -> str:
    """The text of the uploaded file; ValidationFailedError on `file` when there is none, it is too large or it is
    not UTF-8."""
    upload = request.files.get("file")
    raw = upload.read(MAX_BYTES + 1) if upload else (request.get_data(cache=False)[:MAX_BYTES + 1] if body_too else b"")
    if not raw:
        raise ValidationFailedError(T('no file'), {"file": [T('Choose a UTF-8 CSV file of at most 2 MiB.')]})
    if len(raw) > MAX_BYTES:
        raise ValidationFailedError(T('file too large'), {"file": [T('At most 2 MiB.')]})
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationFailedError(T('not UTF-8 text'), {"file": [T('Save the file as UTF-8 CSV.')]}) from exc
