"""Firing due timers: the sweep that `minyi timers run-due` and the scheduler run."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from app import clock, engine
from app.extensions import db
from app.models import Case, ProcessInstance, Timer, utcnow

from . import errors
from .workflow import instance_operation, run_engine


def due_instances(now: datetime | None = None, limit: int = 100) -> list[int]:
    """Instances with a timer due, earliest first."""
    stmt = (
        select(Timer.instance_id, Timer.due_at)
        .join(Case, Case.id == Timer.case_id)
        .where(Timer.due_at <= (now or utcnow()), Case.held_since.is_(None))  # no clock runs on hold
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
    """Wake every instance with a due timer, each in its own transaction; returns how many were woken.

    Several schedulers may run this at once: each instance is claimed with a row lock
    (SKIP LOCKED on PostgreSQL), and the version check makes a second wake of the same state a
    no-op conflict, so a timer fires once.
    """
    fired = 0
    for instance_id in due_instances(now, limit):
        if not _claim(instance_id):
            continue
        try:
            with instance_operation(instance_id, "system") as op:
                run_engine(op, lambda op=op: engine.wake_timers(op.workflow))
        except errors.StaleStateError:
            continue  # another scheduler woke it first
        fired += 1
    return fired


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
    """Recompute timers that were due in a year without official calendar data, now that data may exist.

    Each timer's expression is evaluated again as of the moment it started waiting; the projection
    then moves task and case due times with it. Returns how many timers moved.
    """
    rows = db.session.execute(
        select(Timer.instance_id, Timer.id, Timer.started_at).where(Timer.provisional.is_(True))
    ).all()
    db.session.rollback()
    by_instance: dict[int, list[tuple[str, datetime]]] = {}
    for instance_id, timer_id, started_at in rows:
        by_instance.setdefault(instance_id, []).append((timer_id, started_at))
    moved = 0
    for instance_id, timers in by_instance.items():
        with instance_operation(instance_id, "system") as op:
            op.shifting = True
            for timer_id, started_at in timers:
                due = run_engine(op, lambda t=timer_id, s=started_at: _evaluated_at(op.workflow, t, s))
                engine.move_timer(op.workflow, timer_id, due)
                op.record("timer.recomputed", timer=timer_id, due=due.isoformat())
                moved += 1
    return moved


def _evaluated_at(workflow, timer_id: str, moment: datetime) -> datetime:
    with clock.at(moment):
        value = engine.reevaluate_timer(workflow, timer_id)
    due = datetime.fromisoformat(value)
    return due if due.tzinfo else due.replace(tzinfo=UTC)
