"""Staff registration of an appeal that came by phone, letter or in person (the same service as POST /api/v1/cases)."""

from __future__ import annotations

from flask import render_template, request

from app.cases.errors import ValidationFailedError
from app.cases.intake.appeal import parse_appeal
from app.cases.intake.registration import register_case
from app.cases.people.petitioners import lookup
from app.models import CATEGORIES, CHANNELS

from ..appeal_form import STAFF_CHANNELS, field_errors, staff_appeal
from . import bp
from .session import me, staff_only


@bp.route("/intake", methods=["GET", "POST"])
@staff_only("case.register")
def intake():
    if request.method == "GET":
        return _form({}, {})
    values = {k: v.strip() if k not in ("description",) else v for k, v in request.form.items()
              if k not in ("csrf_token", "action")}
    if request.form.get("action") == "lookup":  # who is calling, before the clerk registers anything
        try:
            found = lookup(me(), values.get("petitioner_phone"), values.get("petitioner_email"),
                           values.get("petitioner_id_number"))
        except ValidationFailedError as exc:
            return _form(values, {"petitioner.phone": exc.details["phone"]}), 422
        return _form(values, {}, caller=found, looked_up=True)
    try:
        created = register_case(parse_appeal(staff_appeal(values)), me().username)
    except ValidationFailedError as exc:
        return _form(values, field_errors(exc.details)), 422
    return render_template("staff/intake_done.html", created=created)


def _form(values: dict, errors: dict, caller=None, looked_up: bool = False):
    return render_template("staff/intake.html", values=values, errors=errors, categories=CATEGORIES,
                           caller=caller, looked_up=looked_up, caller_lookup=True,
                           channels=STAFF_CHANNELS + tuple(c for c in CHANNELS if c not in STAFF_CHANNELS))
