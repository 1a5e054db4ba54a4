"""What a migration did to an instance's projection rows (open tasks, pending timers), kept as JSON so
that a rollback undoes exactly that and nothing else.

Both sides are kept, before and after the migration: SLA moments fire in bulk without touching the
instance (so a rollback is not refused for them), and a moment that fired since the migration must
stay fired. A rollback therefore only reverses the rows the migration itself added, removed or moved.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import select

from app.models import Task, Timer, utcnow
from app.models.types import UTCDateTime

from ..sql import sql
from ..uow.projections import OPEN

_tasks, _timers = Task.__table__, Timer.__table__
_TASK_RESTORED = ("state", "assignee", "group", "claimed_at", "reassigned_at", "completed_at", "completed_by", "due_at",
                  "sla_state")


def projection_rows(instance_id: int) -> dict[str, dict[str, dict[str, Any]]]:
    """The instance's open task rows and timer rows by id, as JSON-ready values."""
    tasks = sql(select(_tasks).where(_tasks.c.instance_id == instance_id, _tasks.c.state.in_(OPEN))).mappings().all()
    timers = sql(select(_timers).where(_timers.c.instance_id == instance_id)).mappings().all()
    return {"tasks": {t["id"]: _plain(t) for t in tasks}, "timers": {t["id"]: _plain(t) for t in timers}}


def projection_change(before: dict, after: dict) -> str:
    return json.dumps({"before": before, "after": after}, ensure_ascii=False)


def undo_projection_change(change: str) -> dict[str, list[dict[str, Any]]]:
    """Reverse what the migration did to the rows; returns the tasks closed and reopened."""
    saved = json.loads(change)
    before, after = saved["before"], saved["after"]
    closed = [{"task": i, "name": row["name"]} for i, row in after["tasks"].items() if i not in before["tasks"]]
    if closed:
        sql(_tasks.update().where(_tasks.c.id.in_([c["task"] for c in closed]), _tasks.c.state.in_(OPEN))
            .values(state="cancelled", completed_at=utcnow()))
    reopened = [{"task": i, "name": row["name"]} for i, row in before["tasks"].items() if i not in after["tasks"]]
    for item in reopened:
        row = _typed(_tasks, before["tasks"][item["task"]])
        sql(_tasks.update().where(_tasks.c.id == item["task"]).values({k: row[k] for k in _TASK_RESTORED}))
    added = [i for i in after["timers"] if i not in before["timers"]]
    moved = [i for i in after["timers"] if i in before["timers"] and after["timers"][i] != before["timers"][i]]
    if moved:  # a moved row that fired since stays fired
        moved = list(sql(select(_timers.c.id).where(_timers.c.id.in_(moved))).scalars())
    removed = [i for i in before["timers"] if i not in after["timers"]]
    if added or moved:
        sql(_timers.delete().where(_timers.c.id.in_(added + moved)))
    restored = [_typed(_timers, before["timers"][i]) for i in moved + removed]
    if restored:
        sql(_timers.insert(), restored)
    return {"closed": closed, "reopened": reopened}


def _plain(row) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in row.items()}


def _typed(table, row: dict[str, Any]) -> dict[str, Any]:
    """Datetimes back from their ISO text, by the column's type."""
    return {name: datetime.fromisoformat(value) if isinstance(value, str) and isinstance(table.c[name].type, UTCDateTime)
            else value for name, value in row.items()}
