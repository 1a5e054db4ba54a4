"""Staff registration of an appeal that came by phone, letter or in person (the same service as POST /api/v1/cases)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app, render_template, request

from app.cases.errors import ValidationFailedError
from app.cases.intake.appeal import parse_appeal
from app.cases.intake.registration import register_case
from app.models import CATEGORIES, CHANNELS

from ..appeal_form import field_errors
from . import bp
from .session import me, staff_only

STAFF_CHANNELS = ("hotline", "letter", "visit", "email", "web", "social")


@bp.route("/intake", methods=["GET", "POST"])
@staff_only("case.register")
def intake():
    if request.method == "GET":
        return _form({}, {})
    values = {k: v.strip() if k not in ("description",) else v for k, v in request.form.items() if k != "csrf_token"}
    try:
        created = register_case(parse_appeal(_payload(values)), me().username)
    except ValidationFailedError as exc:
        return _form(values, field_errors(exc.details)), 422
    return render_template("staff/intake_done.html", created=created)


def _form(values: dict, errors: dict):
    return render_template("staff/intake.html", values=values, errors=errors, categories=CATEGORIES,
                           channels=STAFF_CHANNELS + tuple(c for c in CHANNELS if c not in STAFF_CHANNELS))


def _payload(v: dict) -> dict:
    """The appeal's fields (as the API takes them) from the page's flat fields; empty optional fields are left out."""
    petitioner = {"name": v.get("petitioner_name") or None, "phone": v.get("petitioner_phone") or None,
                  "email": v.get("petitioner_email") or None, "address": v.get("petitioner_address") or None,
                  "anonymous": v.get("anonymous") == "true", "notify_by": v.get("notify_by") or None}
    payload = {"category": v.get("category", ""), "channel": v.get("channel", ""), "title": v.get("title", ""),
               "description": v.get("description", ""), "petitioner": {k: x for k, x in petitioner.items() if x is not None}}
    if v.get("location"):
        payload["location"] = {"address": v["location"]}
    if v.get("received_at"):
        payload["received_at"] = _local(v["received_at"])
    return payload


def _local(raw: str) -> str:
    """<input type=datetime-local> has no offset: the organisation's local time."""
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        return raw
    return (moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo(current_app.config["MINYI_TIMEZONE"]))).isoformat()
