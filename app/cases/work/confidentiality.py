"""Marking a case confidential (an accusation against staff, 信访工作条例 Art. 30) and lifting it, with the reason,
in the ledger. From then on only staff the policy clears (policy.cleared) see the case; whoever marked it without
that clearance loses sight of it with everyone else."""

from __future__ import annotations

from sqlalchemy import update

from app.extensions import db
from app.models import Case

from .. import errors, ledger, policy, records
from ..errors import T
from ..policy import Principal
from ..transaction import transaction

REASON_MAX = 2000


def set_confidential(user: Principal, number: str, confidential: bool, reason: str) -> Case:
    """Mark the case confidential (or lift it: only a cleared user sees it to do so); a reason is required. The
    same state again changes nothing."""
    case = policy.check_case_access(user, records.case_by_number(number))
    policy.require(user, "case.confidentiality", case)
    reason = (reason or "").strip()
    if not reason:
        raise errors.ValidationFailedError(T('a reason is required'), {"reason": [T('Say why, for the record.')]})
    if len(reason) > REASON_MAX:
        raise errors.ValidationFailedError(T('the reason is too long'), {"reason": [
            T('At most %(max)s characters.', max=REASON_MAX)]})
    if case.confidential == confidential:
        return case
    with transaction():
        db.session.execute(update(Case).where(Case.id == case.id).values(confidential=confidential)
                           .execution_options(synchronize_session=False))
        ledger.record(case.id, user.username, "case.made_confidential" if confidential else "case.made_open",
                      reason=reason)
    db.session.refresh(case)
    return case
