"""Review (复查) and re-review (复核), 信访工作条例 Art. 35-36.

Within 30 days of the answer the petitioner (with the access code) or staff for them may ask for a
review: a new case linked to the answered one, running the `review` process at the next level up.
The answer of a review may be taken to a re-review the same way; after a re-review the same claim
is not accepted again. Each case is reviewed at most once; the links show on both cases.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from app.calendar import calendar_days_after
from app.extensions import db
from app.models import Case, LedgerEntry, utcnow

from .. import errors, ledger, policy, records
from ..errors import T
from ..messages.kinds import REVIEW_WINDOW_DAYS
from ..policy import Principal
from ..reference import work_calendar, zone
from ..transaction import transaction
from .appeal import Appeal, Party, PetitionerData
from .public import case_for_petitioner
from .registration import Intake, ReviewLink, open_case

REVIEW_PROCESS = "review"
WINDOW_DAYS = REVIEW_WINDOW_DAYS
NEXT_LEVEL = {None: "review", "review": "re-review"}
LEVEL_NAMES = {"review": "复查", "re-review": "复核"}


def request_review(number: str, access_code: str, reason: str) -> Intake:
    """The petitioner asks for a review of their answered case (public, with the access code)."""
    return _open_review(case_for_petitioner(number, access_code), reason, ledger.PETITIONER, "web")


def file_review_for_petitioner(user: Principal, number: str, reason: str) -> Intake:
    """Staff register a review the petitioner asked for by letter, phone or in person."""
    policy.require(user, "case.review")
    original = records.case_by_number(str(number))
    return _open_review(original, reason, user.username, original.channel)


def _open_review(original: Case, reason: str, actor: str, channel: str) -> Intake:
    if not reason or not reason.strip():
        raise errors.ValidationFailedError(T('a reason is required'), {"reason": [T('must not be blank')]})
    level = _next_level(original)
    _check_window(original, level)
    appeal = Appeal(category=original.category, channel=channel, title=f"{LEVEL_NAMES[level]}：{original.title}"[:200],
                    description=reason.strip(), petitioner=_petitioner_of(original),
                    parties=tuple(Party(p.name, p.role, p.phone) for p in original.parties))
    # A concurrent request taking the same case to review loses on the unique review link.
    with transaction(on_duplicate="this case has been taken to review already"):
        intake = open_case(appeal, actor, REVIEW_PROCESS, ReviewLink(original.id, original.number, level, reason.strip()))
        ledger.record(original.id, actor, "case.review_requested", review=intake.number, level=level,
                      reason=reason.strip())
    return intake


def _next_level(original: Case) -> str:
    if original.repeat_of_id is not None:
        raise errors.ConflictError(T('this case is a repeat handled with another case: ask for a review of that one'))
    if original.review_level == "re-review":
        raise errors.ConflictError(T('this case is a re-review (复核): the same claim is not accepted again'))
    existing = db.session.scalar(select(Case.number).where(Case.review_of_id == original.id))
    if existing is not None:
        raise errors.ConflictError(T('this case has been taken to review already: case %(existing)s', existing=existing))
    return NEXT_LEVEL[original.review_level]


def _check_window(original: Case, level: str) -> None:
    """Open for 30 days after the answer (Art. 35: counted as calendar days, Art. 201/203)."""
    answered_at = _answered_at(original)
    if answered_at is None:
        raise errors.ConflictError(
            T('the case is %(status)s: a %(level)s can be asked once it has been answered', status=original.status, level=level))
    closes = calendar_days_after(answered_at, WINDOW_DAYS, zone(), work_calendar()).at
    if utcnow() > closes:
        raise errors.ConflictError(
            T('the %(level)s window closed on %(value)s, %(WINDOW_DAYS)s days after the answer',
                  level=level, value=closes.date().isoformat(), WINDOW_DAYS=WINDOW_DAYS))


def _answered_at(original: Case) -> datetime | None:
    if original.status not in ("answered", "closed"):
        return None
    entries = db.session.scalars(select(LedgerEntry).where(
        LedgerEntry.case_id == original.id, LedgerEntry.action == "case.status_changed").order_by(LedgerEntry.id.desc()))
    return next((e.at.astimezone(UTC) for e in entries if e.details.get("to") == "answered"), None)


def _petitioner_of(original: Case) -> PetitionerData:
    p = original.petitioner
    if p is None:
        return PetitionerData(anonymous=True)
    return PetitionerData(p.name, p.phone, p.email, p.address, p.anonymous, p.notify_by, p.locale)


def review_links(case: Case) -> dict:
    """The review this case is of, and the review of this case (numbers), for the case view."""
    reviewed = db.session.scalar(select(Case.number).where(Case.id == case.review_of_id)) if case.review_of_id else None
    review = db.session.scalar(select(Case.number).where(Case.review_of_id == case.id))
    return {"review_of": reviewed, "review_level": case.review_level, "reviewed_by": review}
