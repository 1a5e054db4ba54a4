"""Firing due timers: the sweep that `minyi timers run-due` and the scheduler run.

One sweep fires both kinds of rows of the timer table: BPMN timers (the engine wakes them, each
instance in its own transaction; a case whose firing fails becomes an incident, see incidents.py, and
never stops the others) and the SLA moments of user tasks, which change nothing in the flow and
so fire in batches without loading the engine (sla_sweep.py).
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from app import engine
from app.extensions import db
from app.models import Case, Incident, ProcessInstance, Timer, utcnow

from .. import errors, ledger
from ..errors import T
from ..policy import Principal
from ..uow.scripting import counting_from
from ..uow.sla import recompute_sla_clock
from ..uow.workflow import instance_operation, run_engine
from .incidents import open_incidents, record_failure, resolve_incidents
from .sla_sweep import BATCH as SLA_BATCH
from .sla_sweep import fire_due_sla_moments


def due_instances(now: datetime | None = None, limit: int = 100) -> list[int]:
    """Instances with a BPMN timer due, earliest first; held cases and incidents waiting for their retry are left out."""
    now = now or utcnow()
    waiting = select(Incident.instance_id).where(Incident.resolved_at.is_(None), Incident.next_retry_at > now)
    stmt = (
        select(Timer.instance_id, Timer.due_at)
        .join(Case, Case.id == Timer.case_id)
        # A timer fires when its time is strictly past (as the engine compares).
        .where(Timer.kind == "bpmn", Timer.due_at < now, Case.held_since.is_(None), Timer.instance_id.not_in(waiting))
        .order_by(Timer.due_at)
        .limit(limit * 4)
    )
    seen: list[int] = []
    for instance_id, _due in db.session.execute(stmt):
        if instance_id not in seen:
            seen.append(instance_id)
        if len(seen) >= limit:
            break
    db.session.rollback()
    return seen


def fire_due_timers(now: datetime | None = None, limit: int = 100) -> int:
    """Fire what is due: up to `limit` instances' BPMN timers, then up to SLA_BATCH SLA moments.

    Returns how many instances had something fire. Several schedulers may run this at once: each
    instance is claimed with a row lock (SKIP LOCKED on PostgreSQL) and the version check makes a
    second firing of the same state a no-op conflict; SLA moments are claimed by deleting their rows.
    So a timer fires once.
    """
    now = now or utcnow()
    if not _anything_due(now):
        return 0
    fired = set()
    for instance_id in due_instances(now, limit):
        if fire_instance(instance_id):
            fired.add(instance_id)
    fired |= fire_due_sla_moments(now, SLA_BATCH)
    return len(fired)


def _anything_due(now: datetime) -> bool:
    """One probe of the due-time index: the idle sweep (most sweeps) ends here, with no write transaction."""
    found = db.session.scalar(select(Timer.id).where(Timer.due_at < now).limit(1))
    db.session.rollback()
    return found is not None


def fire_instance(instance_id: int) -> bool:
    """Fire one instance's due timers; False when another scheduler had it or it failed (an incident)."""
    if not _claim(instance_id):
        return False
    try:
        with instance_operation(instance_id, ledger.SYSTEM) as op:
            now = utcnow()
            # The engine before any write: on SQLite the first write takes the database lock, and a
            # slow script must not hold it.
            if any(t.due_at < now for t in op.timers_before.values()):
                run_engine(op, lambda: engine.wake_timers(op.workflow))
            resolve_incidents(instance_id, now)
    except errors.StaleStateError:
        return False  # another scheduler fired it first
    except Exception as exc:
        record_failure(instance_id, exc)
        return False
    return True


def next_due_at() -> datetime | None:
    value = db.session.scalar(select(Timer.due_at).order_by(Timer.due_at).limit(1))
    db.session.rollback()
    return value


def _claim(instance_id: int) -> bool:
    """Lock the instance row for this transaction; False when another scheduler holds it."""
    if db.engine.dialect.name != "postgresql":
        return True  # SQLite serialises writers; the version check does the rest
    row = db.session.execute(
        select(ProcessInstance.id).where(ProcessInstance.id == instance_id).with_for_update(skip_locked=True)
    ).first()
    return row is not None


def refresh_provisional_deadlines() -> int:
    """Recompute moments that were due in a year without official calendar data, now that data may exist.

    A BPMN timer's expression is evaluated again as of the moment it started waiting; an open task's
    SLA clock is evaluated again as of when the task became ready. Returns how many moments moved.
    """
    rows = db.session.execute(
        select(Timer.instance_id, Timer.id, Timer.kind, Timer.task_id, Timer.started_at).where(Timer.provisional.is_(True))
    ).all()
    db.session.rollback()
    by_instance: dict[int, list] = {}
    for row in rows:
        by_instance.setdefault(row.instance_id, []).append(row)
    moved = 0
    for instance_id, timers in by_instance.items():
        with instance_operation(instance_id, ledger.SYSTEM) as op:
            op.shifting = True
            for row in [t for t in timers if t.kind == "bpmn"]:
                due = run_engine(op, lambda r=row: _evaluated_at(op.workflow, r.id, r.started_at))
                engine.move_timer(op.workflow, row.id, due)
                op.record("timer.recomputed", timer=row.id, due=due.isoformat())
                moved += 1
            for task_id, started_at in sorted({(t.task_id, t.started_at) for t in timers if t.kind != "bpmn"}):
                due = recompute_sla_clock(op, task_id, started_at)
                op.record("sla.recomputed", task=task_id, due=due.isoformat() if due else None)
                moved += 1
    return moved


def _evaluated_at(workflow, timer_id: str, moment: datetime) -> datetime:
    with counting_from(moment):  # this thread only; the app clock keeps running
        value = engine.reevaluate_timer(workflow, timer_id)
    due = datetime.fromisoformat(value)
    return due if due.tzinfo else due.replace(tzinfo=UTC)


def retry_incidents(user: Principal | None = None, incident_id: int | None = None) -> list[tuple[int, bool]]:
    """Retry one incident, or every open one, now; returns (incident id, fixed?) pairs."""
    incidents = open_incidents(user)
    if incident_id is not None:
        incidents = [i for i in incidents if i.id == incident_id]
        if not incidents:
            raise errors.NotFoundError(T('no open incident %(incident_id)s', incident_id=incident_id))
    targets = [(i.id, i.instance_id) for i in incidents]
    db.session.rollback()
    results = []
    for iid, instance_id in targets:
        fired = fire_instance(instance_id)
        still_open = db.session.scalar(select(Incident.resolved_at).where(Incident.id == iid)) is None
        db.session.rollback()
        results.append((iid, fired and not still_open))
    return results
