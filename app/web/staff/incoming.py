"""The incoming queue (e-mail intake): an intake clerk opens each mail, registers it as a case (the form prefilled
from the mail, its files carried over) or rejects it with a reason."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.cases.errors import ConflictError, ValidationFailedError
from app.cases.intake.appeal import parse_appeal
from app.cases.intake.incoming import incoming_item, incoming_items, register_incoming, reject_incoming
from app.models import CATEGORIES, CHANNELS, INCOMING_STATES, REJECT_REASONS

from ..appeal_form import STAFF_CHANNELS, field_errors, staff_appeal
from ..gate import MAX_ID
from ..locale import translated
from . import bp
from .session import me, staff_only

PER_PAGE = 50


@bp.get("/incoming")
@staff_only("incoming.work")
def incoming():
    state = request.args.get("state", "new")
    if state not in INCOMING_STATES:
        abort(404)
    before = request.args.get("before", type=int)
    if before is not None and not 0 < before <= MAX_ID:
        abort(404)
    items = incoming_items(me(), state, before, PER_PAGE)
    return render_template("staff/incoming.html", items=items, state=state, states=INCOMING_STATES,
                           next_before=items[-1].id if len(items) == PER_PAGE else None)


@bp.get("/incoming/<id:item_id>")
@staff_only("incoming.work")
def incoming_mail(item_id: int):
    item = incoming_item(me(), item_id)
    return _page(item, _prefilled(item), {})


@bp.post("/incoming/<id:item_id>/register")
@staff_only("incoming.work")
def register_mail(item_id: int):
    item = incoming_item(me(), item_id)
    values = {k: v.strip() if k != "description" else v for k, v in request.form.items() if k != "csrf_token"}
    try:
        created = register_incoming(me(), item.id, parse_appeal(staff_appeal(values)))
    except ValidationFailedError as exc:
        return _page(item, values, field_errors(exc.details), 422)
    except ConflictError as exc:
        flash(translated(exc.message), "error")
        return redirect(url_for("staff.incoming_mail", item_id=item.id))
    return render_template("staff/intake_done.html", created=created, from_mail=True)


@bp.post("/incoming/<id:item_id>/reject")
@staff_only("incoming.work")
def reject_mail(item_id: int):
    try:
        reject_incoming(me(), item_id, request.form.get("reason", ""), request.form.get("note"))
    except (ValidationFailedError, ConflictError) as exc:
        flash(_("The mail was not rejected: %(reason)s", reason=translated(exc.message)), "error")
        return redirect(url_for("staff.incoming_mail", item_id=item_id))
    flash(_("The mail is rejected."), "ok")
    return redirect(url_for("staff.incoming"))


def _prefilled(item) -> dict:
    return {"channel": "email", "title": item.subject[:200], "description": item.body,
            "petitioner_name": item.sender_name or item.sender.split("@")[0], "petitioner_email": item.sender,
            "notify_by": "email"}


def _page(item, values: dict, errors: dict, status: int = 200):
    return render_template("staff/incoming_item.html", item=item, values=values, errors=errors, categories=CATEGORIES,
                           channels=STAFF_CHANNELS + tuple(c for c in CHANNELS if c not in STAFF_CHANNELS),
                           reasons=REJECT_REASONS), status
