"""Staff registration of an appeal that came by phone, letter or in person (the same service as POST /api/v1/cases),
and linking a case that came in by itself as a repeat at triage."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.cases.errors import ConflictError, MinyiError, NotFoundError, T, ValidationFailedError
from app.cases.intake.appeal import parse_appeal
from app.cases.intake.duplicates import candidates
from app.cases.intake.registration import register_case
from app.cases.intake.repeats import link_registered_as_repeat, refuse_re_reviewed, register_repeat
from app.cases.people.petitioners import lookup
from app.cases.taxonomy.trees import nodes, suggest
from app.models import CATEGORIES, CHANNELS

from ..appeal_form import STAFF_CHANNELS, field_errors, staff_appeal
from ..locale import translated
from . import bp
from .session import me, staff_only


@bp.route("/intake", methods=["GET", "POST"])
@staff_only("case.register")
def intake():
    if request.method == "GET":
        return _form({}, {})
    values = {k: v.strip() if k not in ("description",) else v for k, v in request.form.items()
              if k not in ("csrf_token", "action")}
    if request.form.get("action") == "lookup":  # who is calling, and what this may repeat, before registering
        return _looked_up(values)
    repeat_of, refused = request.form.get("repeat_of", "")[:32], request.form.get("refuse_re_reviewed", "")[:32]
    values = {k: v for k, v in values.items() if k not in ("repeat_of", "refuse_re_reviewed")}
    try:
        appeal = parse_appeal(staff_appeal(values))
        if repeat_of:
            created = register_repeat(me(), repeat_of, appeal)
        elif refused:
            created = refuse_re_reviewed(me(), refused, appeal)
        else:
            created = register_case(appeal, me().username)
    except ValidationFailedError as exc:
        return _form(values, field_errors(exc.details)), 422
    except (ConflictError, NotFoundError) as exc:  # the case chosen is closed, a repeat itself, not re-reviewed
        return _form(values, {"_schema": [exc.message]}), exc.http_status
    return render_template("staff/intake_done.html", created=created, repeat_of=repeat_of or None,
                           refused=refused or None)


@bp.post("/cases/<number>/repeat-of")
@staff_only("case.register", "number")
def link_repeat_page(number: str):
    """At triage: the appeal that came in by itself repeats an open case."""
    back = request.form.get("back", "")
    back = back if back.startswith("/tasks/") else url_for("staff.case", number=number[:32])
    try:
        case = link_registered_as_repeat(me(), number[:32], request.form.get("original", "")[:32])
    except MinyiError as exc:
        if exc.http_status == 403:
            raise
        flash(_("The case was not linked: %(reason)s", reason=translated(exc.message)), "error")
        return redirect(back)
    flash(_("Case %(number)s is closed as a repeat of case %(original)s; the petitioner is told which case handles it.",
            number=case.number, original=request.form["original"][:32]), "ok")
    return redirect(url_for("staff.inbox"))


def _looked_up(values: dict):
    identifiers = [values.get(f"petitioner_{k}") for k in ("phone", "email", "id_number")]
    title = values.get("title") or ""
    if not any(identifiers) and len(title) < 2:
        return _form(values, {"petitioner.phone": [T('Give a phone number, an e-mail address, a resident ID number '
                                                      'or the title to look up.')]}), 422
    caller = lookup(me(), *identifiers) if any(identifiers) else None
    text = " ".join(values.get(k) or "" for k in ("title", "description"))
    suggested = {"topic": suggest("topic", text), "area": suggest("area", f"{values.get('location') or ''} {text}")}
    for kind, suggestion in suggested.items():  # the clerk's own choice stays; an empty one takes the suggestion
        if suggestion and not values.get(kind):
            values[kind] = suggestion.node.code
    try:
        found = candidates(me(), title, values.get("description"), *identifiers, topic=values.get("topic") or None,
                           area=values.get("area") or None)
    except ValidationFailedError as exc:  # a topic or area code no longer there
        return _form(values, field_errors(exc.details)), 422
    return _form(values, {}, caller=caller, looked_up=any(identifiers), candidates=found, checked=True,
                 suggested=suggested)


def _form(values: dict, errors: dict, caller=None, looked_up: bool = False, candidates=(), checked: bool = False,
          suggested=None):
    return render_template("staff/intake.html", values=values, errors=errors, categories=CATEGORIES,
                           caller=caller, looked_up=looked_up, caller_lookup=True, candidates=candidates,
                           checked=checked, suggested=suggested, topics=nodes("topic"), areas=nodes("area"),
                           channels=STAFF_CHANNELS + tuple(c for c in CHANNELS if c not in STAFF_CHANNELS))
