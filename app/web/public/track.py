"""The front page and the petitioner's case lookup, rating, withdrawal and review request, and the messages they
were sent.

The number and access code travel in POSTed forms, never in the URL (no code in logs or browser history).
"""

from __future__ import annotations

from flask import render_template, request
from flask_babel import gettext as _

from app.cases.errors import ConflictError, NotFoundError, ValidationFailedError
from app.cases.intake.public import (
    answer_date_changes,
    answer_history,
    case_for_petitioner,
    handled_by,
    public_statements,
    rate_case,
    withdraw_by_petitioner,
)
from app.cases.intake.reviews import request_review
from app.cases.messages.delivery_states import sent_to_petitioner

from ..access import public
from ..limits import public_lookup
from ..locale import translated
from . import bp
from .rating import resolved_answer

PUBLISHED_STATUSES = ("answered", "closed", "rejected")


@bp.get("/")
@public
def index():
    return render_template("index.html")


@bp.get("/track")
@public
def track():
    """The lookup form; a message's link fills the number in (the code is typed: it never travels in a URL)."""
    return render_template("track.html", case=None, number=request.args.get("number", "").strip()[:32])


@bp.post("/track")
@public_lookup
def track_lookup():
    """The same message for a wrong number or a wrong code; the code is compared exactly as typed."""
    number, code = _credentials()
    try:
        case = case_for_petitioner(number, code)
    except NotFoundError:
        return _not_found(number)
    return _show(case, code)


@bp.post("/track/rating")
@public_lookup
def track_rating():
    number, code = _credentials()
    score = request.form.get("score", "")
    if score not in ("1", "2", "3", "4", "5"):
        return _act_failed(number, code, _("Choose a score from 1 to 5."))
    try:
        case = rate_case(number, code, int(score), request.form.get("comment", "").strip()[:2000] or None,
                         resolved_answer(request.form))
    except NotFoundError:
        return _not_found(number)
    except ConflictError as exc:
        return _act_failed(number, code, _("The rating was not taken: %(reason)s", reason=translated(exc.message)))
    return _show(case, code, done=_("Thank you for your rating."))


@bp.post("/track/withdraw")
@public_lookup
def track_withdraw():
    number, code = _credentials()
    try:
        case = withdraw_by_petitioner(number, code, request.form.get("reason", "")[:2000])
    except NotFoundError:
        return _not_found(number)
    except (ConflictError, ValidationFailedError) as exc:
        return _act_failed(number, code, _("The case was not withdrawn: %(reason)s", reason=translated(exc.message)))
    return _show(case, code, done=_("Your appeal is withdrawn."))


@bp.post("/track/review")
@public_lookup
def track_review():
    number, code = _credentials()
    try:
        review = request_review(number, code, request.form.get("reason", "")[:2000])
    except NotFoundError:
        return _not_found(number)
    except (ConflictError, ValidationFailedError) as exc:
        return _act_failed(number, code, _("No review was opened: %(reason)s", reason=translated(exc.message)))
    return render_template("track.html", case=None, number="", review=review)


def _credentials() -> tuple[str, str]:
    return request.form.get("number", "").strip()[:32], request.form.get("access_code", "")[:32]


def _show(case, code: str, done: str | None = None, problem: str | None = None, status: int = 200):
    return render_template("track.html", case=case, number=case.number, access_code=code, done=done, problem=problem,
                           changes=answer_date_changes(case.id), history=(history := answer_history(case.id)),
                           statements=public_statements(case.id), messages=sent_to_petitioner(case.id),
                           handled_with=handled_by(case),
                           published=case.status in PUBLISHED_STATUSES or any(h["kind"] == "answer" for h in history)), status


def _act_failed(number: str, code: str, message: str):
    try:
        case = case_for_petitioner(number, code)
    except NotFoundError:
        return _not_found(number)
    return _show(case, code, problem=message, status=409)


def _not_found(number: str):
    error = _("No case with this number and access code. Please check both.")
    return render_template("track.html", case=None, number=number, error=error), 404
