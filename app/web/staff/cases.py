"""The case workspace: details, petitioner (masked per policy), attachments, timeline, links, notices and the diagram."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from app.cases.errors import MinyiError
from app.cases.work.attachments import attach_file, attachment_for_download
from app.cases.work.workspace import case_workspace

from . import bp
from .session import me, staff_only


@bp.get("/cases/<number>")
@staff_only("case.view", "number")
def case(number: str):
    return render_template("staff/case.html", ws=case_workspace(me(), number[:32], str(get_locale() or "zh")),
                           max_attachment_bytes=current_app.config["MINYI_ATTACHMENT_MAX_BYTES"])


@bp.post("/cases/<number>/attachments")
@staff_only("attachment.use", "number")
def upload_attachment(number: str):
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash(_("Choose a file to attach."), "upload-error")
    else:
        try:
            attachment = attach_file(me(), number[:32], upload.filename, upload.stream)
        except MinyiError as exc:
            if exc.http_status in (403, 404):
                raise
            flash(_("The file was not attached: %(reason)s", reason=exc.message), "upload-error")
        else:
            flash(_("Attached: %(name)s.", name=attachment.filename), "upload-ok")
    return redirect(url_for("staff.case", number=number[:32]) + "#attachments-title")


@bp.get("/cases/<number>/attachments/<id:attachment_id>")
@staff_only("attachment.use", "number")
def download_attachment(number: str, attachment_id: int):
    attachment, path = attachment_for_download(me(), attachment_id, number[:32])
    return send_file(path, mimetype=attachment.content_type, as_attachment=True, download_name=attachment.filename,
                     etag=attachment.sha256, max_age=0, conditional=False)
