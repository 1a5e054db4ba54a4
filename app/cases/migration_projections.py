"""The projection rows of an instance (open tasks, pending timers) as they were before a migration,
kept as JSON so that a rollback gives the case back exactly the inbox rows and clocks it had."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import select

from app.models import Task, Timer, utcnow
from app.models.types import UTCDateTime

from .projections import OPEN
from .sql import sql

_tasks, _timers = Task.__table__, Timer.__table__
_TASK_RESTORED = ("state", "assignee", "group", "claimed_at", "reassigned_at", "completed_at", "completed_by", "due_at",
                  "sla_state")


def snapshot_projections(instance_id: int) -> str:
    tasks = sql(select(_tasks).where(_tasks.c.instance_id == instance_id, _tasks.c.state.in_(OPEN))).mappings().all()
    timers = sql(select(_timers).where(_timers.c.instance_id == instance_id)).mappings().all()
    return json.dumps({"tasks": [_plain(t) for t in tasks], "timers": [_plain(t) for t in timers]}, ensure_ascii=False)


def restore_projections(instance_id: int, snapshot: str) -> dict[str, list[dict[str, Any]]]:
    """Give back the open tasks and timers of the snapshot; returns the tasks closed and reopened.

    Tasks open now and then keep their row as it is (a claim made since the migration stays).
    """
    saved = json.loads(snapshot)
    then = {t["id"]: _typed(_tasks, t) for t in saved["tasks"]}
    now_open = {r.id: r for r in sql(select(_tasks.c.id, _tasks.c.name).where(
        _tasks.c.instance_id == instance_id, _tasks.c.state.in_(OPEN))).all()}
    closed = [{"task": task_id, "name": row.name} for task_id, row in now_open.items() if task_id not in then]
    if closed:
        sql(_tasks.update().where(_tasks.c.id.in_([c["task"] for c in closed]))
            .values(state="cancelled", completed_at=utcnow()))
    reopened = []
    for task_id, row in then.items():
        if task_id not in now_open:
            sql(_tasks.update().where(_tasks.c.id == task_id).values({k: row[k] for k in _TASK_RESTORED}))
            reopened.append({"task": task_id, "name": row["name"]})
    sql(_timers.delete().where(_timers.c.instance_id == instance_id))
    if saved["timers"]:
        sql(_timers.insert(), [_typed(_timers, t) for t in saved["timers"]])
    return {"closed": closed, "reopened": reopened}


def _plain(row) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in row.items()}


def _typed(table, row: dict[str, Any]) -> dict[str, Any]:
    """Datetimes back from their ISO text, by the column's type."""
    typed = {}
    for name, value in row.items():
        column = table.c[name]
        is_moment = isinstance(value, str) and isinstance(column.type, UTCDateTime)
        typed[name] = datetime.fromisoformat(value) if is_moment else value
    return typed
