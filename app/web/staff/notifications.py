"""The signed-in user's notifications (warnings, breaches, supervision notices, assignments): the list, marking one
read, and the unread count every staff page shows in its header."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from app.cases import records
from app.cases.errors import ValidationFailedError
from app.cases.notifications import mail_preference, mark_read, notifications_for, set_mail_preference, unread_count

from ..labels import localized
from ..locale import translated
from . import bp
from .session import me, staff_only

PER_PAGE = 50


@bp.get("/notifications")
@staff_only("signed_in")
def notifications():
    unread_only = request.args.get("unread") == "1"
    items, total = notifications_for(me(), unread_only, 1, PER_PAGE)
    numbers = {n.case_id: records.case_number_of(n.case_id) for n in items}
    shown = {n.id: _text(n, numbers[n.case_id]) for n in items}
    email, wanted = mail_preference(me().username)
    return render_template("staff/notifications.html", items=items, total=total, numbers=numbers, shown=shown,
                           unread_only=unread_only, email=email, wanted=wanted)


@bp.post("/notifications/email")
@staff_only("signed_in")
def notification_mail():
    """Whether my notifications also come by e-mail, and to which address."""
    try:
        set_mail_preference(me().username, request.form.get("email"), request.form.get("wanted") == "yes")
    except ValidationFailedError as exc:
        flash(_("Not saved: %(reason)s", reason=translated(exc.message)), "error")
    else:
        flash(_("Saved."), "ok")
    return redirect(url_for("staff.notifications"))


# The kinds whose message the clocks write as "<case number>: <task title>": the page shows the title in its language.
_TASK_TITLED = ("warning", "breach", "escalation", "alert")


def _text(note, number: str) -> str:
    """The notification's text as the page shows it: a task's bilingual title in the page's language; what a person
    wrote (a notice, an objection, a reason) as written."""
    prefix = f"{number}: "
    if note.kind in _TASK_TITLED and note.task_id and note.message.startswith(prefix):
        return prefix + localized(note.message.removeprefix(prefix), str(get_locale() or "zh"))
    return note.message


@bp.post("/notifications/<id:notification_id>/read")
@staff_only("signed_in")
def read_notification(notification_id: int):
    mark_read(me(), notification_id)
    return redirect(url_for("staff.notifications", **({"unread": "1"} if request.form.get("unread") == "1" else {})))


@bp.app_context_processor
def _unread():
    """The header's unread count, read only on pages that draw a signed-in header."""
    def count() -> int:
        return unread_count(me()) if current_user.is_authenticated else 0

    return {"unread_notifications": count}
