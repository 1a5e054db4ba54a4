"""The case workspace: details, petitioner (masked per policy), attachments, timeline, links, notices and the diagram."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from app.cases.errors import MinyiError
from app.cases.policy import may_see_case
from app.cases.reports.appeals import file_appeal
from app.cases.supervision.notices import reply_to_notice
from app.cases.supervision.routing import object_to_routing, reroute_case
from app.cases.work.attachments import attach_file, attachment_for_download
from app.cases.work.confidentiality import set_confidential
from app.cases.work.workspace import case_workspace

from ..locale import translated
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
            flash(_("The file was not attached: %(reason)s", reason=translated(exc.message)), "upload-error")
        else:
            flash(_("Attached: %(name)s.", name=attachment.filename), "upload-ok")
    return redirect(url_for("staff.case", number=number[:32]) + "#attachments-title")


@bp.get("/cases/<number>/attachments/<id:attachment_id>")
@staff_only("attachment.use", "number")
def download_attachment(number: str, attachment_id: int):
    attachment, path = attachment_for_download(me(), attachment_id, number[:32])
    return send_file(path, mimetype=attachment.content_type, as_attachment=True, download_name=attachment.filename,
                     etag=attachment.sha256, max_age=0, conditional=False)


@bp.post("/notices/<id:notice_id>/reply")
@staff_only("notice.reply", "notice_id")
def reply_notice(notice_id: int):
    """The addressee answers a supervision notice from the task or case page; the console's answered tab shows it."""
    try:
        reply_to_notice(me(), notice_id, request.form.get("reply", "")[:5000])
    except MinyiError as exc:
        if exc.http_status in (403, 404):
            raise
        flash(_("The reply was not sent: %(reason)s", reason=translated(exc.message)), "error")
    else:
        flash(_("Your reply to the supervision notice is sent."), "ok")
    return redirect(_back())


@bp.post("/cases/<number>/object")
@staff_only("case.object", "number")
def object_to_routing_page(number: str):
    """退单: the handling department says the case was routed to it by mistake (within 5 working days)."""
    try:
        object_to_routing(me(), number[:32], request.form.get("reason", "")[:2000])
    except MinyiError as exc:
        if exc.http_status in (403, 404):
            raise
        flash(_("The objection was not sent: %(reason)s", reason=translated(exc.message)), "error")
    else:
        flash(_("Your objection is with the supervisors; they re-route the case or confirm the routing."), "ok")
    return redirect(url_for("staff.case", number=number[:32]))


@bp.post("/cases/<number>/counting-appeal")
@staff_only("stats.appeal", "number")
def appeal_counting_page(number: str):
    """申诉: the head of the case's department contests that it counts against the department; a supervisor decides."""
    try:
        file_appeal(me(), number[:32], request.form.get("reason", "")[:2000])
    except MinyiError as exc:
        if exc.http_status in (403, 404):
            raise
        flash(_("The appeal was not filed: %(reason)s", reason=translated(exc.message)), "error")
    else:
        flash(_("Your appeal against counting the case is with the supervisors."), "ok")
    return redirect(url_for("staff.case", number=number[:32]))


@bp.post("/cases/<number>/reroute")
@staff_only("case.reroute", "number")
def reroute_page(number: str):
    try:
        case = reroute_case(me(), number[:32], request.form.get("department", "")[:32], request.form.get("reason", "")[:2000])
    except MinyiError as exc:
        if exc.http_status in (403, 404):
            raise
        flash(_("The case was not re-routed: %(reason)s", reason=translated(exc.message)), "error")
    else:
        flash(_("The case is re-routed to %(department)s.", department=case.department.name), "ok")
    return redirect(url_for("staff.case", number=number[:32]))


@bp.post("/cases/<number>/confidentiality")
@staff_only("case.confidentiality", "number")
def confidentiality_page(number: str):
    wanted = request.form.get("confidential") == "true"
    try:
        case = set_confidential(me(), number[:32], wanted, request.form.get("reason", "")[:5000])
    except MinyiError as exc:
        if exc.http_status in (403, 404):
            raise
        flash(_("Nothing was changed: %(reason)s", reason=translated(exc.message)), "error")
        return redirect(url_for("staff.case", number=number[:32]) + "#confidentiality")
    if not may_see_case(me(), case):  # marked by someone not cleared: they see no more of it
        flash(_("Case %(number)s is confidential now: only staff cleared for confidential cases see it.",
                number=case.number), "ok")
        return redirect(url_for("staff.inbox"))
    flash(_("The case is confidential now.") if case.confidential else _("The case is no longer confidential."), "ok")
    return redirect(url_for("staff.case", number=case.number))


def _back() -> str:
    target = request.form.get("back", "")
    return target if target.startswith(("/tasks/", "/cases/")) and not target.startswith("//") else url_for("staff.inbox")
