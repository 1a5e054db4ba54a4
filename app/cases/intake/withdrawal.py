"""Withdrawal (撤回): the petitioner or staff end a case before it is answered.

A case operation for every process: the instance is cancelled with every open task and clock, the
reason goes to the ledger and the case becomes `withdrawn`. A process that waits for the message
`withdraw` at that moment handles it itself instead (it receives {reason, by}). After the answer a
case can no longer be withdrawn (409 saying why).
"""

from __future__ import annotations

from sqlalchemy import select

from app import engine
from app.extensions import db
from app.models import Case, ProcessInstance, utcnow

from .. import errors, policy, records
from ..errors import T
from ..policy import Principal
from ..uow.workflow import instance_operation, run_engine

WITHDRAWABLE = ("registered", "handling")


def withdraw_case(number: str, reason: str, actor: str) -> Case:
    """Withdraw a case on the petitioner's request; `actor` is who recorded it ('petitioner' or a user name)."""
    if not reason or not reason.strip():
        raise errors.ValidationFailedError(T('a reason is required'), {"reason": [T('must not be blank')]})
    case = records.case_by_number(str(number))
    if case.status not in WITHDRAWABLE:
        raise errors.ConflictError(T('the case is %(status)s; only a case not yet answered can be withdrawn', status=case.status))
    instance_id = db.session.scalar(
        select(ProcessInstance.id).where(ProcessInstance.case_id == case.id, ProcessInstance.completed.is_(False))
    )
    if instance_id is None:
        raise errors.ConflictError(T('the case has no running process to withdraw'))
    with instance_operation(instance_id, actor) as op:
        if op.case.status not in WITHDRAWABLE:  # answered meanwhile
            raise errors.ConflictError(T('the case is %(status)s; only a case not yet answered can be withdrawn', status=op.case.status))
        payload = {"reason": reason.strip(), "by": actor}
        if engine.waits_for_message(op.workflow, "withdraw"):
            run_engine(op, lambda: engine.send_message(op.workflow, "withdraw", payload))
            op.record("case.withdrawal_requested", **payload)
        else:
            run_engine(op, lambda: engine.cancel_instance(op.workflow))
            op.record("case.withdrawn", **payload)
            op.record("case.status_changed", **{"from": op.case.status, "to": "withdrawn"})
            op.case.set("status", "withdrawn")
            op.case.changes["closed_at"] = utcnow()
    db.session.refresh(case)
    return case


def withdraw_for_petitioner(user: Principal, number: str, reason: str) -> Case:
    """Staff record a withdrawal the petitioner asked for (by phone, in a letter, in person)."""
    policy.require(user, "case.withdraw")
    return withdraw_case(number, reason, user.username)
