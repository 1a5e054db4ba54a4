"""Firing SLA moments in batches, without the engine.

A warning, breach or escalation changes nothing in the flow: it marks the task, writes notices,
notifications and the ledger. So the sweep claims due moment rows with one DELETE ... RETURNING
(a write from its first statement, so two schedulers never both fire a row: on PostgreSQL the
inner SELECT skips rows another scheduler has locked, on SQLite writers take turns) and does the
rest in bulk statements, a batch per transaction. Deadlines end at 23:59:59, so they come in bursts.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from app.calendar import working_days_after
from app.extensions import db
from app.models import OPEN_STATES, Case, Notice, Task, Timer, utcnow

from .. import ledger
from ..notifications import notify
from ..reference import work_calendar, zone
from ..sql import sql
from ..transaction import transaction

NOTICE_REPLY_WORKING_DAYS = 3
LEADERSHIP_GROUP = "leader"
BATCH = 500

_tasks, _timers, _notices, _cases = Task.__table__, Timer.__table__, Notice.__table__, Case.__table__


def fire_due_sla_moments(now: datetime | None = None, limit: int = BATCH) -> set[int]:
    """Fire up to `limit` due SLA moments in one transaction; returns the instances they belonged to."""
    now = now or utcnow()
    with transaction():
        claimed = _claim(now, limit)
        if claimed:
            _fire(claimed, now)
    return {row.instance_id for row in claimed}


def _claim(now: datetime, limit: int) -> list:
    due = (
        select(_timers.c.id)
        .join(_cases, _cases.c.id == _timers.c.case_id)
        # strictly past, as the engine compares, so a sweep never re-wakes what it cannot fire
        .where(_timers.c.kind != "bpmn", _timers.c.due_at < now, _cases.c.held_since.is_(None))
        .order_by(_timers.c.due_at)
        .limit(limit)
    )
    if db.engine.dialect.name == "postgresql":
        due = due.with_for_update(of=_timers, skip_locked=True)
    claim = (_timers.delete().where(_timers.c.id.in_(due.scalar_subquery()))
             .returning(_timers.c.id, _timers.c.instance_id, _timers.c.case_id, _timers.c.kind, _timers.c.task_id,
                        _timers.c.title, _timers.c.attached_to, _timers.c.due_at))
    return sorted(sql(claim).all(), key=lambda r: (r.due_at, r.id))


def _fire(claimed: list, now: datetime) -> None:
    task_ids = sorted({r.task_id for r in claimed})
    tasks = {t.id: t for t in sql(select(_tasks.c.id, _tasks.c.group, _tasks.c.assignee, _tasks.c.state)
                                  .where(_tasks.c.id.in_(task_ids))).all()}
    numbers = dict(sql(select(_cases.c.id, _cases.c.number).where(_cases.c.id.in_(sorted({r.case_id for r in claimed})))).all())
    escalations = dict(sql(select(_timers.c.task_id, _timers.c.due_at)
                           .where(_timers.c.task_id.in_(task_ids), _timers.c.kind == "escalation")).all())
    at_risk, overdue, notices, notes = set(), set(), [], []
    entries: list[dict] = []
    for row in claimed:
        task = tasks.get(row.task_id)
        if task is None or task.state not in OPEN_STATES:
            continue  # its task closed: the moment goes with it, unfired
        entries.append({"case_id": row.case_id, "actor": ledger.SYSTEM, **ledger.entry(
            f"sla.{row.kind}", task=row.task_id, name=row.attached_to, due=row.due_at.isoformat())})
        text = f"{numbers[row.case_id]}: {row.title}"
        if row.kind == "warning":
            at_risk.add(row.task_id)
        elif row.kind == "breach":
            overdue.add(row.task_id)
            reply_by = escalations.get(row.task_id) or _working_days_after(row.due_at, NOTICE_REPLY_WORKING_DAYS)
            notices.append(_notice(row, "breach", task.group, task.assignee, f"{text} 已超期，请说明情况并尽快办结", reply_by))
        else:
            reply_by = _working_days_after(row.due_at, NOTICE_REPLY_WORKING_DAYS)
            notices.append(_notice(row, "escalation", LEADERSHIP_GROUP, None, f"{text} 超期未办结，提级督办", reply_by))
        group, user = (LEADERSHIP_GROUP, None) if row.kind == "escalation" else (task.group, task.assignee)
        notes.append({"case_id": row.case_id, "task_id": row.task_id, "recipient_group": group, "recipient_user": user,
                      "kind": row.kind, "message": text, "dedupe_key": f"{row.kind}:{row.id}:{row.due_at.isoformat()}",
                      "created_at": now})
    if at_risk - overdue:
        sql(_tasks.update().where(_tasks.c.id.in_(sorted(at_risk - overdue)), _tasks.c.sla_state.is_(None))
            .values(sla_state="at_risk"))
    if overdue:
        sql(_tasks.update().where(_tasks.c.id.in_(sorted(overdue))).values(sla_state="overdue"))
    if notices:
        sql(_notices.insert(), notices)
    notify(notes)
    ledger.write_batch(entries)  # one multi-row INSERT for the whole batch, not one per case


def _notice(row, kind: str, group: str | None, user: str | None, message: str, reply_by: datetime) -> dict:
    return {"case_id": row.case_id, "task_id": row.task_id, "kind": kind, "addressee_group": group,
            "addressee_user": user, "message": message, "reply_by": reply_by, "created_by": ledger.SYSTEM,
            "created_at": utcnow()}


def _working_days_after(moment: datetime, days: int) -> datetime:
    return working_days_after(moment, days, zone(), work_calendar()).at.astimezone(UTC)
