"""Attachments of a case (upload, list, download) and the log of views of unmasked personal data (admins)."""

from __future__ import annotations

from flask import jsonify, request, send_file, url_for

from app.cases.people.personal_data import access_log
from app.cases.work.attachments import attach_file, attachment_for_download, attachments_of

from . import bp
from .auth import current_user, require
from .io import MalformedError
from .outputs import AttachmentOut, PersonalDataAccessOut

_ATTACHMENT_OUT = AttachmentOut()
_ACCESS_OUT = PersonalDataAccessOut(many=True)


@bp.post("/cases/<number>/attachments")
@require("attachment.use", "number")
def upload_attachment(number: str):
    upload = request.files.get("file")
    if upload is None:
        raise MalformedError("send the file as multipart field 'file'")
    attachment = attach_file(current_user(), number, upload.filename or "", upload.stream)
    return jsonify(attachment_body(attachment)), 201


@bp.get("/cases/<number>/attachments")
@require("attachment.use", "number")
def list_attachments(number: str):
    items = [attachment_body(a) for a in attachments_of(current_user(), number)]
    return jsonify({"items": items, "total": len(items)})


@bp.get("/attachments/<id:attachment_id>")
@require("attachment.use", "attachment_id")
def download_attachment(attachment_id: int):
    attachment, path = attachment_for_download(current_user(), attachment_id)
    return send_file(path, mimetype=attachment.content_type, as_attachment=True, download_name=attachment.filename,
                     etag=attachment.sha256, max_age=0, conditional=False)


@bp.get("/cases/<number>/access-log")
@require("case.access_log", "number")
def case_access_log(number: str):
    entries = access_log(current_user(), number)
    return jsonify({"items": _ACCESS_OUT.dump(entries), "total": len(entries)})


def attachment_body(attachment) -> dict:
    body = _ATTACHMENT_OUT.dump(attachment)
    body["url"] = url_for("api.download_attachment", attachment_id=attachment.id)
    return body
