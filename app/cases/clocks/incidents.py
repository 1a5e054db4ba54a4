"""Incidents: cases whose timer (or other background step) failed.

The sweep records the failure on the case (message, time, retries), retries it with exponential
backoff and keeps firing everyone else's timers. Admins list and retry them (`minyi incidents`,
`/api/v1/incidents`); a successful firing resolves the case's open incidents.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update

from app.extensions import db
from app.models import Incident, ProcessInstance, utcnow

from .. import ledger, policy
from ..policy import Principal
from ..transaction import transaction

FIRST_RETRY = timedelta(minutes=1)
LONGEST_WAIT = timedelta(hours=6)


def backoff(retries: int) -> timedelta:
    """1, 2, 4, 8 … minutes, at most LONGEST_WAIT."""
    return min(FIRST_RETRY * (2 ** min(retries, 20)), LONGEST_WAIT)


def record_failure(instance_id: int, exc: BaseException) -> Incident:
    """Record (or count again) the open incident of an instance; commits on its own."""
    db.session.rollback()  # whatever the failed firing left in the session goes
    now, message = utcnow(), _describe(exc)
    with transaction():
        incident = db.session.scalar(
            select(Incident).where(Incident.instance_id == instance_id, Incident.resolved_at.is_(None)).limit(1)
        )
        if incident is None:
            case_id = db.session.scalar(select(ProcessInstance.case_id).where(ProcessInstance.id == instance_id))
            incident = Incident(case_id=case_id, instance_id=instance_id, kind="timer", message=message, retries=0,
                                created_at=now, last_failed_at=now, next_retry_at=now + backoff(0))
            db.session.add(incident)
            db.session.flush()
            ledger.record(case_id, ledger.SYSTEM, "incident.opened", incident=incident.id, message=message)
        else:
            incident.retries += 1
            incident.message, incident.last_failed_at = message, now
            incident.next_retry_at = now + backoff(incident.retries)
    return incident


def resolve_incidents(instance_id: int, now: datetime) -> None:
    """Within a successful firing: close the instance's open incidents."""
    db.session.execute(
        update(Incident).where(Incident.instance_id == instance_id, Incident.resolved_at.is_(None)).values(resolved_at=now)
    )


def open_incidents(user: Principal | None = None, case_id: int | None = None) -> list[Incident]:
    """Unresolved incidents, oldest first (admins; the CLI passes no user)."""
    if user is not None:
        policy.require(user, "incident.manage")
    stmt = select(Incident).where(Incident.resolved_at.is_(None))
    if case_id is not None:
        stmt = stmt.where(Incident.case_id == case_id)
    return list(db.session.scalars(stmt.order_by(Incident.id)))


def _describe(exc: BaseException) -> str:
    message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    return message[:2000]
