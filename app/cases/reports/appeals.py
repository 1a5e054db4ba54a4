"""Appeals against counting (申诉, docs/statistics.md "Appeals against counting"): a department contests that a case
counts against it -- wrongly routed to it, say -- with its reasons; a supervisor upholds the appeal (from then on the
case counts for no department: it leaves the department's figures and its ranking, not the office's totals) or
rejects it, with the decision's reasons. Both are in the case's ledger, so the figures are recounted at once."""

from __future__ import annotations

from sqlalchemy import select, update

from app.extensions import db
from app.models import Case, CountingAppeal, utcnow

from .. import errors, ledger, policy, records, reference
from ..errors import T
from ..policy import Principal
from ..transaction import transaction

TEXT_MAX = 2000


def file_appeal(user: Principal, number: str, reason: str) -> CountingAppeal:
    """The case's department contests that it counts against it; one appeal at a time per case and department."""
    case = policy.check_case_access(user, records.case_by_number(number))
    policy.require(user, "stats.appeal", case)
    reason = _text(reason, "reason")
    if case.department_id is None:
        raise errors.ConflictError(T('the case is filed with no department: it counts against none'))
    with transaction(on_duplicate=T('an appeal against counting this case is already waiting')):
        _no_other_pending(case.id, case.department_id)
        appeal = CountingAppeal(case_id=case.id, department_id=case.department_id, reason=reason,
                                filed_by=user.username, filed_at=utcnow(), state="pending")
        db.session.add(appeal)
        db.session.flush()
        ledger.record(case.id, user.username, "case.counting_appealed", appeal=appeal.id,
                      department=case.department_id, reason=reason)
    return appeal


def decide_appeal(user: Principal, appeal_id: int, upheld: bool, decision: str) -> CountingAppeal:
    """A supervisor upholds or rejects a waiting appeal; a decided one is not decided again (409)."""
    policy.require(user, "stats.appeal_decide")
    decision = _text(decision, "decision")
    appeal = db.session.get(CountingAppeal, appeal_id)
    if appeal is None:
        raise errors.NotFoundError(T('no appeal against counting %(id)s', id=appeal_id))
    with transaction():
        state = "upheld" if upheld else "rejected"
        moved = db.session.execute(update(CountingAppeal).where(CountingAppeal.id == appeal.id,
                                                                CountingAppeal.state == "pending")
                                   .values(state=state, decided_by=user.username, decided_at=utcnow(),
                                           decision=decision).execution_options(synchronize_session=False)).rowcount
        if not moved:
            raise errors.ConflictError(T('this appeal was decided already'))
        ledger.record(appeal.case_id, user.username, "case.counting_appeal_decided", appeal=appeal.id,
                      department=appeal.department_id, upheld=upheld, decision=decision)
    db.session.refresh(appeal)
    return appeal


def appeals(user: Principal, state: str | None) -> list[dict]:
    """The appeals (newest first, at most 200) in a state: every department's for supervisors and analysts, a
    head's department's for a head."""
    policy.require(user, "stats.read")
    query = (select(CountingAppeal, Case.number, Case.title).join(Case, Case.id == CountingAppeal.case_id)
             .order_by(CountingAppeal.filed_at.desc(), CountingAppeal.id.desc()).limit(200))
    if not policy.cleared(user):
        query = query.where(policy.NOT_CONFIDENTIAL)
    if state:
        query = query.where(CountingAppeal.state == state)
    if not policy.may_everywhere(user, "stats.read"):
        own = reference.departments().get(user.department_code or "")
        query = query.where(CountingAppeal.department_id == (own.id if own else -1))
    out = []
    for appeal, number, title in db.session.execute(query):
        department = reference.department_by_id(appeal.department_id)
        out.append({"id": appeal.id, "number": number, "title": title,
                    "department": department.code if department else None,
                    "department_name": department.name if department else None,
                    "reason": appeal.reason, "filed_by": appeal.filed_by, "filed_at": appeal.filed_at,
                    "state": appeal.state, "decided_by": appeal.decided_by, "decided_at": appeal.decided_at,
                    "decision": appeal.decision})
    return out


def _no_other_pending(case_id: int, department_id: int) -> None:
    waiting = db.session.scalar(select(CountingAppeal.id).where(
        CountingAppeal.case_id == case_id, CountingAppeal.department_id == department_id,
        CountingAppeal.state.in_(("pending", "upheld"))).limit(1))
    if waiting is not None:
        raise errors.ConflictError(T('an appeal against counting this case is already waiting or upheld'))


def _text(value: str | None, name: str) -> str:
    value = (value or "").strip()
    if not value:
        raise errors.ValidationFailedError(T('a reason is required'), {name: [T('Say why, for the record.')]})
    if len(value) > TEXT_MAX:
        raise errors.ValidationFailedError(T('the reason is too long'), {name: [
            T('At most %(max)s characters.', max=TEXT_MAX)]})
    return value
