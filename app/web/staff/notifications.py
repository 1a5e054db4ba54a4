"""The signed-in user's notifications (warnings, breaches, supervision notices, assignments): the list, marking one
read, and the unread count every staff page shows in its header."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_login import current_user

from app.cases import records
from app.cases.notifications import mark_read, notifications_for, unread_count

from . import bp
from .session import me, staff_only

PER_PAGE = 50


@bp.get("/notifications")
@staff_only("signed_in")
def notifications():
    unread_only = request.args.get("unread") == "1"
    items, total = notifications_for(me(), unread_only, 1, PER_PAGE)
    numbers = {n.case_id: records.case_number_of(n.case_id) for n in items}
    return render_template("staff/notifications.html", items=items, total=total, numbers=numbers, unread_only=unread_only)


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
