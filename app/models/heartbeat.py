"""What the schedulers say about themselves: each writes its heartbeat every few seconds (app/cases/clocks/heartbeat.py),
so that /readyz and the admins' system page know whether clocks are running."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db

from .types import UTCDateTime, utcnow


class SchedulerHeartbeat(db.Model):
    name: Mapped[str] = mapped_column(String(100), primary_key=True)  # host:pid
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    beat_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_sweep_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    fired: Mapped[int] = mapped_column(Integer, default=0)  # timers fired since it started
