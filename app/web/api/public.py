"""Public (no login): a petitioner's view of their case, their rating, withdrawal and review request."""

from __future__ import annotations

from flask import jsonify

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
from app.cases.reference import local_today
from app.cases.reports.disclosure import last_twelve_months, published
from app.cases.reports.summary import Period

from ..access import public
from ..limits import public_lookup
from . import bp
from .io import load_args, load_body
from .outputs import CaseCreated
from .schemas import PublicLookupArgs, PublicReasonIn, PublicStatsArgs, RatingIn

PUBLISHED_STATUSES = ("answered", "closed", "rejected")


def public_view(case) -> dict:
    history = answer_history(case.id)
    answered = case.status in PUBLISHED_STATUSES or any(h["kind"] == "answer" for h in history)
    return {
        "number": case.number,
        "category": case.category,
        "status": case.status,
        "handled_with": handled_by(case),  # a repeat (重复件): the number of the case that handles it
        "received_at": case.received_at.isoformat(),
        "due_at": case.due_at.isoformat() if case.due_at else None,
        "accept_by": case.accept_by.isoformat() if case.accept_by else None,
        "answer_by": case.answer_by.isoformat() if case.answer_by else None,
        "closed_at": case.closed_at.isoformat() if case.closed_at else None,
        "answer": case.answer if answered else None,  # the latest answer given, re-handling or not
        "history": history,
        "statements": public_statements(case.id),  # interim statements (an incident's 阶段性通报)
        "satisfaction": case.satisfaction,
        "answer_by_changes": (changes := answer_date_changes(case.id)),
        "extensions": [{"at": c["at"], "due_at": c["answer_by"], "reason": c["reason"]} for c in changes
                       if c["because"] == "extended"],
    }

# Schema instances are reusable; building one per request costs more than the load.
_PUBLIC_LOOKUP_ARGS = PublicLookupArgs()
_RATING_IN = RatingIn()
_REASON_IN = PublicReasonIn()
_CASE_CREATED = CaseCreated()
_PUBLIC_STATS_ARGS = PublicStatsArgs()


@bp.get("/public/cases/<number>")
@public_lookup
def public_case(number: str):
    args = load_args(_PUBLIC_LOOKUP_ARGS)
    return jsonify(public_view(case_for_petitioner(number, args["access_code"])))


@bp.post("/public/cases/<number>/rating")
@public_lookup
def public_rating(number: str):
    body = load_body(_RATING_IN)
    case = rate_case(number, body["access_code"], body["score"], body["comment"], body["resolved"])
    return jsonify(public_view(case))


@bp.post("/public/cases/<number>/withdraw")
@public_lookup
def public_withdraw(number: str):
    body = load_body(_REASON_IN)
    return jsonify(public_view(withdraw_by_petitioner(number, body["access_code"], body["reason"])))


@bp.post("/public/cases/<number>/review")
@public_lookup
def public_review(number: str):
    body = load_body(_REASON_IN)
    intake = request_review(number, body["access_code"], body["reason"])
    return jsonify(_CASE_CREATED.dump(intake)), 201


@bp.get("/public/stats")
@public
def public_stats():
    """The office's published figures (no login): no personal data, no confidential case, small counts as "<5"."""
    args = load_args(_PUBLIC_STATS_ARGS)
    period = Period(args["from_"], args["to"]) if args["from_"] and args["to"] else last_twelve_months(local_today())
    return jsonify(published(period))
