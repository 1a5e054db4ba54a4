"""Appeals that need no process of their own, registered and closed at once (each keeps its number, petitioner
and access code, and the petitioner is told in writing):

- a **repeat** (重复件) of an open case: the same matter, from the same person or another; the open case handles it,
  its work record shows the repeat, and the figures count it;
- a claim that **went through re-review (复核) already**: not accepted again (信访工作条例 Art. 36), and the
  petitioner is told why.

An appeal that came in by itself (the web form, e-mail, Open311) is registered with a process; a clerk who finds at
triage that it repeats an open case ends that process as on a withdrawal and closes it as the repeat
(`link_registered_as_repeat`).
"""

from __future__ import annotations

from sqlalchemy import select

from app import engine
from app.extensions import db
from app.models import FINAL_STATUSES, Case, ProcessInstance, utcnow

from .. import errors, ledger, policy, records
from ..errors import T
from ..messages.kinds import events_of
from ..messages.outbox import tell
from ..policy import Principal
from ..sql import sql
from ..transaction import transaction
from ..uow.workflow import instance_operation, run_engine
from .access_codes import new_access_code
from .appeal import Appeal
from .registration import Intake, case_row, classified, department_of, insert_people, next_number

_INSERT_CASE = Case.__table__.insert().returning(Case.__table__.c.id)
REFUSAL = {  # the reason the petitioner reads, in their language (the answer of the refused case)
    "zh": "您反映的事项已于{date}经复核（编号 {number}），依据《信访工作条例》第三十六条，同一事项不再受理。",
    "en": "Your claim was decided on re-review on {date} (number {number}); under Article 36 of the Regulations on "
          "Letters and Visits the same claim is not accepted again.",
}


def register_repeat(user: Principal, original_number: str, appeal: Appeal) -> Intake:
    """Register `appeal` as a repeat of the open case `original_number` (no process starts)."""
    policy.require(user, "case.register")
    original = policy.check_case_access(user, records.case_by_number(original_number))
    _check_original(original)
    return _register_closed(appeal, user.username, "closed", {"repeat_of": original.number}, original=original)


def link_registered_as_repeat(user: Principal, number: str, original_number: str) -> Case:
    """Close the registered case `number` (still at triage) as a repeat of the open case `original_number`: its
    process ends with every task and clock, the petitioner is told which case handles it, and that case's work
    record shows the repeat."""
    policy.require(user, "case.register")
    case = policy.check_case_access(user, records.case_by_number(number))
    original = policy.check_case_access(user, records.case_by_number(original_number))
    _check_original(original)
    if original.id == case.id:
        raise errors.ValidationFailedError(T('a case cannot repeat itself'), {"original": [T('Choose another case.')]})
    if case.status != "registered" or case.repeat_of_id is not None:
        raise errors.ConflictError(T('case %(number)s is past triage: only a case still at triage can be linked as a '
                                     'repeat', number=case.number))
    instance_id = db.session.scalar(select(ProcessInstance.id).where(
        ProcessInstance.case_id == case.id, ProcessInstance.completed.is_(False)))
    if instance_id is None:
        raise errors.ConflictError(T('the case has no running process to end'))
    with transaction():
        with instance_operation(instance_id, user.username) as op:
            if op.case.status != "registered":  # triaged meanwhile
                raise errors.ConflictError(T('case %(number)s is past triage: only a case still at triage can be '
                                             'linked as a repeat', number=case.number))
            run_engine(op, lambda: engine.cancel_instance(op.workflow))
            op.record("case.linked_as_repeat", repeat_of=original.number)
            op.record("case.status_changed", **{"from": op.case.status, "to": "closed"})
            op.case.set("status", "closed")
            op.case.changes.update(closed_at=utcnow(), repeat_of_id=original.id)
            if original.confidential:  # the same accusation: as confidential as the case handling it
                op.case.changes["confidential"] = True
        ledger.record(original.id, user.username, "case.repeat_received", number=case.number, channel=case.channel)
    db.session.refresh(case)
    return case


def _check_original(original: Case) -> None:
    """A repeat joins an open case that is not itself a repeat."""
    if original.status in FINAL_STATUSES:
        raise errors.ConflictError(T('case %(number)s is closed: register a new case, or the petitioner may ask for a '
                                     'review', number=original.number))
    if original.repeat_of_id is not None:
        raise errors.ConflictError(T('case %(number)s is itself a repeat: link to the case that handles it',
                                     number=original.number))


def refuse_re_reviewed(user: Principal, claim_number: str, appeal: Appeal) -> Intake:
    """Register `appeal` as not accepted: the claim of case `claim_number` went through re-review already."""
    policy.require(user, "case.register")
    claim = policy.check_case_access(user, records.case_by_number(claim_number))
    decided = re_review_of(claim.id)
    if decided is None:
        raise errors.ConflictError(T('case %(number)s has not been through re-review: the claim may be accepted',
                                     number=claim.number))
    language = appeal.petitioner.language if appeal.petitioner.language in REFUSAL else "zh"
    day = (decided.closed_at or decided.received_at).date().isoformat()
    reason = REFUSAL[language].format(date=day, number=decided.number)
    return _register_closed(appeal, user.username, "rejected", {"re_reviewed_in": decided.number}, answer=reason)


def re_review_of(case_id: int) -> Case | None:
    """The decided re-review (复核: answered or closed) of the claim of this case -- of the case itself, or of its
    review (复查)."""
    return decided_re_reviews([case_id]).get(case_id)


def decided_re_reviews(case_ids: list[int]) -> dict[int, Case]:
    """{case id: the decided re-review of its claim} for those of `case_ids` that have one (two queries)."""
    if not case_ids:
        return {}
    reviewed = {i: i for i in case_ids}  # the case a re-review may name -> the claim's case
    reviewed.update(db.session.execute(select(Case.id, Case.review_of_id).where(Case.review_of_id.in_(case_ids))).all())
    found = db.session.scalars(select(Case).where(
        Case.review_level == "re-review", Case.status.in_(("answered", "closed")),
        Case.review_of_id.in_(sorted(reviewed))).order_by(Case.id))
    return {reviewed[r.review_of_id]: r for r in found}


def _register_closed(appeal: Appeal, actor: str, status: str, link: dict[str, str], original: Case | None = None,
                     answer: str | None = None) -> Intake:
    now = utcnow()
    received_at = appeal.received_at or now
    if received_at > now:
        raise errors.ValidationFailedError(T('received_at is in the future'), {"received_at": [T('must not be in the future')]})
    department = department_of(appeal.department)
    where = classified(appeal)
    access_code = new_access_code()
    with transaction():
        number = next_number(received_at)
        row = case_row(number, appeal, received_at, department, access_code, actor)
        # a repeat of a confidential case is the same accusation: as confidential as the case handling it
        secret = appeal.confidential or bool(original is not None and original.confidential)
        row.update(status=status, closed_at=now, answer=answer, repeat_of_id=original.id if original else None,
                   confidential=secret, **where.columns)
        case_id = sql(_INSERT_CASE, row).scalar_one()
        insert_people(case_id, appeal)
        entries = [ledger.entry("case.registered", number=number, category=appeal.category, channel=appeal.channel,
                                **where.codes, **link, **({"confidential": True} if secret else {})),
                   ledger.entry("case.status_changed", **{"from": "registered", "to": status})]
        if answer:
            entries.append(ledger.entry("case.refused", reason=answer, **link))
        ledger.write(case_id, actor, entries)
        if original is not None:
            ledger.record(original.id, actor, "case.repeat_received", number=number, channel=appeal.channel)
        tell(case_id, events_of(entries, answer), f"{case_id}.0", access_code=access_code)
    return Intake(number, appeal.category, status, received_at, None, access_code)


def repeats_of(case_id: int) -> list[Case]:
    """The repeats an open case handles, oldest first."""
    return list(db.session.scalars(select(Case).where(Case.repeat_of_id == case_id).order_by(Case.id)))
