"""A message from outside to a case's process (a BPMN message catch event, an event-based gateway's, a boundary
event's): someone at work, or another system through the API, says the awaited thing happened -- the papers
arrived, the other office replied -- with its data. The process must be waiting for that message now."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app import engine
from app.extensions import db
from app.models import FINAL_STATUSES, ProcessInstance

from .. import errors, policy, records
from ..errors import T
from ..policy import Principal
from ..uow.workflow import instance_operation, run_engine

# messages Minyi sends itself: each has its own way in, which also records what it means
OWN_MESSAGES = {"withdraw": "POST /cases/{number}/withdraw", "rating": "the petitioner's rating"}


def send_to_case(user: Principal, number: str, name: str, data: dict[str, Any] | None = None) -> dict:
    """Deliver the message `name` (with `data`) to the case's process; 409 naming what it waits for when not this."""
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise errors.ValidationFailedError(T("name the message"), {"name": [T("the message's name as the diagram writes it")]})
    case = records.case_by_number(str(number))
    policy.require(user, "case.message", case)
    if name in OWN_MESSAGES:
        raise errors.ValidationFailedError(T("the message '%(name)s' is sent by %(way)s", name=name, way=OWN_MESSAGES[name]),
                                           {"name": [T("not sent this way")]})
    if case.status in FINAL_STATUSES:
        raise errors.ConflictError(T('the case is %(status)s', status=case.status))
    instance_id = db.session.scalar(select(ProcessInstance.id).where(ProcessInstance.case_id == case.id,
                                                                     ProcessInstance.completed.is_(False)))
    if instance_id is None:
        raise errors.ConflictError(T("the case has no running process to send a message to"))
    with instance_operation(instance_id, user.username) as op:
        waiting = engine.waiting_messages(op.workflow)
        if name not in waiting:
            raise errors.ConflictError(T("the case's process is not waiting for the message '%(name)s' now (it waits "
                                         "for: %(names)s)", name=name, names=", ".join(waiting) or "-"))
        run_engine(op, lambda: engine.send_message(op.workflow, name, dict(data or {})))
        op.record("case.message_received", message=name)
    db.session.refresh(case)
    return {"case_number": case.number, "message": name, "status": case.status}
