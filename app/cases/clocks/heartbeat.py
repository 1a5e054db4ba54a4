"""The schedulers' heartbeats: each scheduler process writes its row every few seconds and after each sweep; /readyz
and the admins' system page read the newest. Wall-clock time, not the application's clock (tests move that one)."""

from __future__ import annotations

import os
import socket
from datetime import UTC, datetime

from sqlalchemy import select, text, update

from app.extensions import db
from app.models import SchedulerHeartbeat

from ..transaction import transaction

STALE_SECONDS = 60  # a heartbeat older than this: no scheduler is running


def _now() -> datetime:
    return datetime.now(UTC)


def scheduler_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


def beat(name: str, swept: bool, fired: int = 0) -> None:
    """This scheduler is alive (and, when `swept`, has just finished a sweep that fired `fired` timers)."""
    now = _now()
    values = {"beat_at": now, **({"last_sweep_at": now} if swept else {})}
    with transaction():
        done = db.session.execute(update(SchedulerHeartbeat).where(SchedulerHeartbeat.name == name)
                                  .values(fired=SchedulerHeartbeat.fired + fired, **values)).rowcount
        if not done:
            db.session.add(SchedulerHeartbeat(name=name, started_at=now, fired=fired, **values))


def scheduler_status(stale_seconds: int = STALE_SECONDS) -> dict:
    """The schedulers that beat within the last day, newest first, and whether any beat within `stale_seconds`."""
    now = _now()
    rows = db.session.scalars(select(SchedulerHeartbeat).order_by(SchedulerHeartbeat.beat_at.desc()).limit(20)).all()
    found = [{"name": r.name, "started_at": r.started_at.isoformat(), "beat_at": r.beat_at.isoformat(),
              "age_seconds": round((now - r.beat_at).total_seconds(), 1),
              "last_sweep_at": r.last_sweep_at.isoformat() if r.last_sweep_at else None, "fired": r.fired}
             for r in rows if (now - r.beat_at).total_seconds() < 86400]
    return {"running": bool(found) and found[0]["age_seconds"] <= stale_seconds, "schedulers": found,
            "stale_seconds": stale_seconds}


def database_reachable() -> bool:
    """One round trip to the database; False when it does not answer."""
    try:
        db.session.execute(text("SELECT 1"))
        return True
    except Exception:  # any driver error means "not now"
        db.session.rollback()
        return False
