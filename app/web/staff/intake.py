"""Staff registration of an appeal that came by phone, letter or in person (the same service as POST /api/v1/cases)."""

from __future__ import annotations

from flask import render_template, request

from app.cases.errors import ValidationFailedError
from app.cases.intake.appeal import parse_appeal
from app.cases.intake.registration import register_case
from app.models import CATEGORIES, CHANNELS

from ..appeal_form import STAFF_CHANNELS, field_errors, staff_appeal
from . import bp
from .session import me, staff_only


@bp.route("/intake", methods=["GET", "POST"])
@staff_only("case.register")
def intake():
    if request.method == "GET":
        return _form({}, {})
    values = {k: v.strip() if k not in ("description",) else v for k, v in request.form.items() if k != "csrf_token"}
    try:
        created = register_case(parse_appeal(staff_appeal(values)), me().username)
    except ValidationFailedError as exc:
        return _form(values, field_errors(exc.details)), 422
    return render_template("staff/intake_done.html", created=created)


def _form(values: dict, errors: dict):
    return render_template("staff/intake.html", values=values, errors=errors, categories=CATEGORIES,
                           channels=STAFF_CHANNELS + tuple(c for c in CHANNELS if c not in STAFF_CHANNELS))
