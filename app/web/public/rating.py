"""Rating an answer through the one-time link its message carried: the page shows the case and its answer; only a
POST from it records the rating (a mail scanner that follows the link changes nothing)."""

from __future__ import annotations

from flask import render_template, request
from flask_babel import gettext as _

from app.cases.errors import ConflictError, NotFoundError, NothingWaitingError
from app.cases.intake.public import case_of_rating_link, rate_by_link

from ..access import public
from ..locale import translated
from . import bp


@bp.get("/rate/<token>")
@public
def rating_page(token: str):
    return _page(token)


@bp.post("/rate/<token>")
@public
def rate(token: str):
    score = request.form.get("score", "")
    if score not in ("1", "2", "3", "4", "5"):
        return _page(token, problem=_("Choose a score from 1 to 5."), status=422)
    try:
        case = rate_by_link(token, int(score), request.form.get("comment", "").strip()[:2000] or None,
                            resolved_answer(request.form))
    except NotFoundError as exc:
        return render_template("rate.html", case=None, error=translated(exc.message)), 404
    except (ConflictError, NothingWaitingError) as exc:
        return _page(token, problem=_("The rating was not taken: %(reason)s", reason=translated(exc.message)), status=409)
    return render_template("rate.html", case=case, done=True)


def resolved_answer(form) -> bool | None:
    """The rating form's "is your problem resolved?": yes, no, or not said (a petitioner may leave it)."""
    return {"yes": True, "no": False}.get(form.get("resolved", ""))


def _page(token: str, problem: str | None = None, status: int = 200):
    try:
        case = case_of_rating_link(token)
    except NotFoundError as exc:
        return render_template("rate.html", case=None, error=translated(exc.message)), 404
    except ConflictError as exc:
        return render_template("rate.html", case=None, error=translated(exc.message)), 410
    return render_template("rate.html", case=case, token=token, problem=problem,
                           waiting=case.status == "answered" and not case.satisfaction), status
