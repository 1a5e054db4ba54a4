"""What petitioners do without an account: look up their case, rate the answer."""

from __future__ import annotations

from sqlalchemy import select, update

from app import engine
from app.extensions import db
from app.models import Case, LedgerEntry, ProcessInstance, RatingLink, utcnow

from .. import errors, ledger
from ..errors import T
from ..messages.outbox import token_hash
from ..sql import sql
from ..transaction import transaction
from ..uow.workflow import instance_operation, run_engine
from .access_codes import access_code_matches, typed_code
from .withdrawal import withdraw_case

NOT_WAITING_FOR_RATING = "this case is not waiting for a rating"


def case_for_petitioner(number: str, access_code: str) -> Case:
    """The case when number and code match; the same NotFoundError for either being wrong."""
    case = db.session.scalar(select(Case).where(Case.number == str(number)[:32])) if number else None
    access_code = typed_code(access_code)
    matches = access_code_matches(case.access_code_hash if case else None, access_code)
    if case is None or not access_code or not matches:
        raise errors.NotFoundError(T('no case with this number and access code'))
    return case


def rate_case(number: str, access_code: str, score: int, comment: str | None, resolved: bool | None = None) -> Case:
    """The petitioner's rating, delivered to the process as the message 'rating', with their own word on whether
    the problem is resolved (None: not said; the figures' resolution rate counts it, docs/statistics.md)."""
    return _rate(case_for_petitioner(number, access_code), score, comment, resolved)


def case_of_rating_link(token: str) -> Case:
    """The case a one-time rating link (from the answer's message) was made for; NotFoundError for an unknown link,
    ConflictError for one used already."""
    link = db.session.scalar(select(RatingLink).where(RatingLink.token_hash == token_hash(str(token)[:100])))
    if link is None:
        raise errors.NotFoundError(T('this rating link is not valid'))
    if link.used_at is not None:
        raise errors.ConflictError(T('this rating link has been used already'))
    return db.session.get(Case, link.case_id)


def rate_by_link(token: str, score: int, comment: str | None, resolved: bool | None = None) -> Case:
    """A rating POSTed from the page of a one-time link; the link is spent in the rating's transaction (two POSTs
    at once: one rating, the other a conflict)."""
    case = case_of_rating_link(token)
    with transaction(on_stale="this rating link has been used already"):
        spent = sql(update(RatingLink).where(RatingLink.token_hash == token_hash(str(token)[:100]),
                                             RatingLink.used_at.is_(None)).values(used_at=utcnow()))
        if spent.rowcount != 1:
            raise errors.ConflictError(T('this rating link has been used already'))
        return _rate(case, score, comment, resolved)


def _rate(case: Case, score: int, comment: str | None, resolved: bool | None) -> Case:
    instance_id = db.session.scalar(
        select(ProcessInstance.id).where(ProcessInstance.case_id == case.id, ProcessInstance.completed.is_(False))
    )
    if instance_id is None:
        raise errors.NothingWaitingError(NOT_WAITING_FOR_RATING)
    try:
        with instance_operation(instance_id, ledger.PETITIONER) as op:
            payload = {"score": score, "comment": comment}
            run_engine(op, lambda: engine.send_message(op.workflow, "rating", payload))
            op.record("case.rated", score=score, comment=comment)
            if resolved is not None:  # their own word on the resolution (the figures' resolution rate)
                op.record("case.resolution_stated", resolved=resolved)
    except errors.NothingWaitingError as exc:
        # The engine's own wording names its internals; the petitioner gets the one message.
        raise errors.NothingWaitingError(NOT_WAITING_FOR_RATING) from exc
    db.session.refresh(case)
    return case


def answer_history(case_id: int) -> list[dict]:
    """Every answer the petitioner was given and every rating recorded, oldest first: after a re-handling the
    petitioner still reads the first answer, their rating and comment, and the new answer."""
    rows = db.session.scalars(select(LedgerEntry).where(
        LedgerEntry.case_id == case_id, LedgerEntry.action.in_(("case.answered", "case.satisfaction_recorded")))
        .order_by(LedgerEntry.id))
    return [{"at": e.at.isoformat(), "kind": "answer", "answer": e.details.get("answer")} if e.action == "case.answered"
            else {"at": e.at.isoformat(), "kind": "rating", "score": e.details.get("score"),
                  "comment": e.details.get("comment")} for e in rows]


def public_statements(case_id: int) -> list[dict]:
    """The interim statements published while the case was handled (an incident's 阶段性通报), oldest first."""
    rows = db.session.scalars(select(LedgerEntry).where(
        LedgerEntry.case_id == case_id, LedgerEntry.action == "case.statement_published").order_by(LedgerEntry.id))
    return [{"at": e.at.isoformat(), "statement": e.details.get("statement")} for e in rows]


def answer_date_changes(case_id: int) -> list[dict]:
    """Every change of the answer date the petitioner was told, oldest first, with why: the case was accepted (the
    handling period started), the period was extended (the reason the head gave), or it changed otherwise."""
    rows = db.session.scalars(select(LedgerEntry).where(
        LedgerEntry.case_id == case_id, LedgerEntry.action == "case.answer_by_changed").order_by(LedgerEntry.id))
    return [{"at": e.at.isoformat(), "answer_by": e.details.get("answer_by"), "because": e.details.get("because"),
             "reason": e.details.get("reason")} for e in rows]


def withdraw_by_petitioner(number: str, access_code: str, reason: str) -> Case:
    """The petitioner withdraws their own case (see withdrawal.py); 409 once answered."""
    case = case_for_petitioner(number, access_code)
    return withdraw_case(case.number, reason, ledger.PETITIONER)


def handled_by(case: Case) -> str | None:
    """The number of the case that handles this one when it is a repeat (重复件), else None."""
    if case.repeat_of_id is None:
        return None
    return db.session.scalar(select(Case.number).where(Case.id == case.repeat_of_id))
