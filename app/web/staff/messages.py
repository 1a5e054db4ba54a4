"""The administrators' messages pages: what left for petitioners and what is stuck (sending a dead or uncertain
message again), the local mail folder when no transport is configured, and the wording of each kind of message."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.cases import policy
from app.cases.errors import MinyiError
from app.cases.messages import delivery_states, wording
from app.models import MESSAGE_STATES

from ..gate import MAX_ID
from ..locale import translated
from . import bp
from .session import me, staff_only

PER_PAGE = 50


@bp.get("/messages")
@staff_only("message.view")
def messages():
    status = request.args.get("status") or None
    if status is not None and status not in MESSAGE_STATES:
        abort(404)
    before = request.args.get("before", type=int)
    if before is not None and not 0 < before <= MAX_ID:
        abort(404)
    rows = delivery_states.messages_page(status, before, PER_PAGE, cleared=policy.cleared(me()))
    config = current_app.config
    transports = {"email": "smtp" if config["MINYI_SMTP_URL"] else "folder",
                  "sms": "gateway" if config["MINYI_SMS_URL"] else "folder"}
    return render_template("staff/messages.html", rows=rows, status=status, counts=delivery_states.message_counts(),
                           count_cap=delivery_states.SENT_COUNT_CAP,
                           states=MESSAGE_STATES, transports=transports, mail_dir=config["MINYI_MAIL_DIR"],
                           next_before=rows[-1]["message"].id if len(rows) == PER_PAGE else None)


@bp.post("/messages/<id:message_id>/retry")
@staff_only("message.retry")
def retry_message(message_id: int):
    try:
        delivery_states.retry_message(message_id, me().username)
    except MinyiError as exc:
        flash(_("The message was not sent again: %(reason)s", reason=translated(exc.message)), "error")
    else:
        flash(_("Message %(id)s will be sent again within a few seconds.", id=message_id), "ok")
    return redirect(url_for("staff.messages", status=request.form.get("status") or None))


@bp.get("/messages/templates")
@staff_only("message.templates")
def message_templates():
    return render_template("staff/message_templates.html", templates=wording.templates_overview())


@bp.route("/messages/templates/<kind>/<channel>/<locale>", methods=["GET", "POST"])
@staff_only("message.templates")
def message_template(kind: str, channel: str, locale: str):
    found = next((t for t in wording.templates_overview()
                  if (t["kind"], t["channel"], t["locale"]) == (kind, channel, locale)), None)
    if found is None:
        abort(404)
    problems, status, preview = {}, 200, None
    if request.method == "POST":
        if request.form.get("action") == "reset":
            wording.reset_template(kind, channel, locale)
            flash(_("The shipped wording is back."), "ok")
            return redirect(url_for("staff.message_template", kind=kind, channel=channel, locale=locale))
        found = {**found, "subject": request.form.get("subject", ""), "body": request.form.get("body", "")}
        try:
            wording.save_template(kind, channel, locale, found["subject"], found["body"], me().username)
        except MinyiError as exc:
            problems = {field: [translated(m) for m in messages] for field, messages in (exc.details or {}).items()}
            status = 422
        else:
            flash(_("The wording is saved: messages written from now on use it."), "ok")
            return redirect(url_for("staff.message_template", kind=kind, channel=channel, locale=locale))
    if not problems:
        preview = wording.render(wording.Wording(found["subject"], found["body"]),
                                 wording.sample_facts(kind, locale))
    return render_template("staff/message_template.html", t=found, problems=problems, preview=preview), status
