"""The public form (/submit): a citizen sends an appeal without an account, with photos or documents, and gets
the case number, the access code (shown once) and both dates the law promises. The case enters triage as a staff
intake does (channel `web`). Abuse: submissions counted per address and overall in the database, a honeypot field."""

from __future__ import annotations

from flask import current_app, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _

from app.cases import reference
from app.cases.errors import MinyiError, ValidationFailedError
from app.cases.files.store import checked_file
from app.cases.intake.appeal import parse_appeal
from app.cases.intake.submission import MAX_FILES, TooManySubmissionsError, submit_appeal
from app.models import CATEGORIES

from ..access import public
from ..appeal_form import field_errors
from ..limits import attempt_limits
from . import bp

NOT_PUBLIC = ("incident",)  # public-opinion incidents are identified by staff, not submitted
TEXT_FIELDS = ("category", "title", "description", "address", "lat", "lon", "name", "phone", "email", "notify_by")


def public_categories() -> list[str]:
    bound = reference.catalogue_bindings()
    return [c for c in CATEGORIES if c in bound and c not in NOT_PUBLIC]


@bp.get("/submit")
@public
def submit_form():
    return _form({"notify_by": "sms"}, {})


@bp.post("/submit")
@public
def submit():
    values = {name: request.form.get(name, "").strip() for name in TEXT_FIELDS}
    values["description"] = request.form.get("description", "")
    values["confidential"] = "true" if request.form.get("confidential") == "true" else ""
    if request.form.get("website"):  # the honeypot: people never see it, form-filling robots fill it
        return _form(values, {"_schema": [_("Your appeal could not be accepted. Please call the hotline.")]}, 422)
    problems: dict[str, list] = {}
    if request.form.get("consent") != "yes":
        problems["consent"] = [_("Please agree to how your data is used.")]
    if values["category"] not in public_categories():
        problems["category"] = [_("Choose what kind of appeal this is.")]
    files, file_problems = _files()
    if file_problems:
        problems["files"] = file_problems
    try:
        appeal = parse_appeal(_payload(values))
    except ValidationFailedError as exc:
        problems = {**field_errors(exc.details), **problems}
    if problems:
        return _form(values, problems, 422)
    try:
        done = submit_appeal(appeal, files, request.remote_addr or "", attempt_limits())
    except TooManySubmissionsError as exc:
        response = current_app.make_response(_form(values, {"_schema": [exc.message]}, 429))
        response.headers["Retry-After"] = str(exc.retry_after)
        return response
    return render_template("submit_done.html", intake=done.intake, files=done.files)


def _files():
    uploads = [f for f in request.files.getlist("files") if f and f.filename]
    if len(uploads) > MAX_FILES:
        return [], [_("At most %(n)s files.", n=MAX_FILES)]
    files, problems = [], []
    for upload in uploads:
        try:
            files.append(checked_file(upload.filename, upload.stream))
        except MinyiError as exc:
            problems.append(_("%(file)s: %(reason)s", file=upload.filename, reason=exc.message))
    return files, problems


def _payload(v: dict) -> dict:
    """The appeal as every channel builds it; what the citizen left empty is left out."""
    petitioner = {"name": v["name"] or None, "phone": v["phone"] or None, "email": v["email"] or None,
                  "notify_by": v["notify_by"] or None, "language": "en" if str(get_locale()) == "en" else "zh"}
    payload = {"category": v["category"], "channel": "web", "title": v["title"], "description": v["description"],
               "petitioner": {k: x for k, x in petitioner.items() if x is not None}}
    if v.get("confidential") == "true":
        payload["confidential"] = True
    location = {"address": v["address"] or None}
    for axis in ("lat", "lon"):
        if v[axis]:
            location[axis] = v[axis]  # validated (a number in range) with the appeal
    if any(x is not None for x in location.values()):
        payload["location"] = {k: x for k, x in location.items() if x is not None}
    return payload


def _form(values: dict, errors: dict, status: int = 200):
    return render_template("submit.html", values=values, errors=errors, categories=public_categories(),
                           max_files=MAX_FILES), status
