"""SLA clocks as a policy on the user task, not diagram plumbing.

A user task declares `due` (a BPMN expression evaluated in the task's data when it becomes ready,
e.g. `earliest(working_days(10), case_due)`), optionally `warn_share` (default 0.8),
`escalate_after` (default `working_days(3)`, counted from the breach) and `alert` (when it holds, the task's
people are notified as it opens). Minyi keeps three moments
per task as rows of the timer table, each with its unit, and the sweep fires them:
warning -> the task is at risk, its people are notified; breach -> the task is overdue and a
supervision notice goes to its department; escalation -> an escalation notice to leadership.
The moments fire in batches without the engine (sla_sweep.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from app import engine
from app.calendar.helpers import unit_of
from app.models import Task, Timer

from .. import errors
from ..errors import T
from ..reference import provisional, zone
from ..sql import sql
from .operation import Operation
from .scripting import counting_from

DEFAULT_WARN_SHARE = "0.8"
DEFAULT_ESCALATE_AFTER = "working_days(3)"

_tasks, _timers = Task.__table__, Timer.__table__


@dataclass(frozen=True)
class SlaClock:
    breach: datetime
    unit: str  # of the breach and the warning
    warning: datetime | None
    escalation: datetime | None
    escalation_unit: str


def sla_clock(workflow, human: engine.HumanTask, now: datetime) -> SlaClock | None:
    """Evaluate a newly ready task's `due` policy; None when the task has no clock."""
    source = human.properties.get("due")
    if not source:
        return None
    with counting_from(now):
        due = _evaluate(workflow, human, "due", source)
    breach = _moment(human, "due", due, now)
    share = _evaluate(workflow, human, "warn_share", human.properties.get("warn_share") or DEFAULT_WARN_SHARE)
    if isinstance(share, bool) or not isinstance(share, int | float) or not 0 <= share <= 1:
        raise errors.ProcessFailedError(
            T('%(name)s: warn_share must be a number between 0 and 1, not %(share)s', name=human.name, share=repr(share)))
    warning = now + (breach - now) * share if 0 < share < 1 else None
    escalate_source = human.properties.get("escalate_after") or DEFAULT_ESCALATE_AFTER
    escalation = escalation_unit = None
    if escalate_source.strip().lower() != "none":
        with counting_from(breach):
            value = _evaluate(workflow, human, "escalate_after", escalate_source)
        escalation, escalation_unit = _moment(human, "escalate_after", value, breach), unit_of(value)
    return SlaClock(breach, unit_of(due), warning, escalation, escalation_unit or "calendar")


def alerts_at_once(workflow, human: engine.HumanTask) -> bool:
    """Whether a newly ready task's `alert` policy holds: everyone who may take it is notified as it opens
    (an urgent step, e.g. a level I incident's dispatch)."""
    source = (human.properties.get("alert") or "").strip()
    if not source or source.lower() == "none":
        return False
    return bool(_evaluate(workflow, human, "alert", source))


def _evaluate(workflow, human, what: str, source: str) -> Any:
    try:
        return engine.evaluate_in_task(workflow, human.id, source)
    except engine.ScriptError as exc:
        raise errors.ProcessFailedError(
            T("%(name)s: %(what)s '%(source)s' failed: %(exc)s", name=human.name, what=what, source=source, exc=exc)) from exc


def _moment(human, what: str, value: Any, start: datetime) -> datetime:
    """An ISO-8601 moment, or an ISO-8601 duration (P3D, PT4H: elapsed time) after `start`."""
    after = engine.after_duration(value, start)
    if after is not None:
        return after.astimezone(UTC)
    try:
        moment = datetime.fromisoformat(str(value))
    except (TypeError, ValueError) as exc:
        raise errors.ProcessFailedError(
            T('%(name)s: %(what)s gave %(value)s, not an ISO-8601 moment', name=human.name, what=what, value=repr(value))) from exc
    return (moment if moment.tzinfo else moment.replace(tzinfo=zone())).astimezone(UTC)


def sla_rows(instance_id: int, case_id: int, human: engine.HumanTask, clock: SlaClock, now: datetime) -> list[dict]:
    """The timer rows of one task's clock."""
    moments = [("warning", clock.warning, clock.unit), ("breach", clock.breach, clock.unit),
               ("escalation", clock.escalation, clock.escalation_unit)]
    return [
        {"id": f"{human.id}:{kind}", "instance_id": instance_id, "case_id": case_id, "kind": kind, "task_id": human.id,
         "name": f"{human.name}:{kind}", "title": human.title, "attached_to": human.name, "unit": unit, "due_at": due,
         "provisional": provisional(due), "started_at": now}
        for kind, due, unit in moments if due is not None
    ]


def shift_sla_rows(case_id: int, held_since: datetime, now: datetime, shift) -> dict[str, str]:
    """Move every SLA moment of a case by the time it was held, in each row's own unit.

    `shift(due, unit, paused_from)` gives the new due time; a row that started during the hold
    is moved only by the part of the hold it saw. Task due times follow their breach row.
    """
    moved = {}
    rows = sql(select(_timers.c.id, _timers.c.task_id, _timers.c.kind, _timers.c.unit, _timers.c.due_at, _timers.c.started_at)
               .where(_timers.c.case_id == case_id, _timers.c.kind != "bpmn")).all()
    for row in rows:
        due = shift(row.due_at, row.unit, max(held_since, row.started_at))
        sql(_timers.update().where(_timers.c.id == row.id).values(due_at=due))
        if row.kind == "breach":
            sql(_tasks.update().where(_tasks.c.id == row.task_id).values(due_at=due))
        moved[row.id] = due.isoformat()
    return moved


def recompute_sla_clock(op: Operation, task_id: str, ready_at: datetime) -> datetime | None:
    """Evaluate an open task's clock again as of when it became ready (new calendar data); returns its breach."""
    human = op.ready_before.get(task_id)
    if human is None:
        return None
    clock = sla_clock(op.workflow, human, ready_at)
    sql(_timers.delete().where(_timers.c.task_id == task_id))
    if clock is not None:
        sql(_timers.insert(), sla_rows(op.instance_id, op.case.id, human, clock, ready_at))
    sql(_tasks.update().where(_tasks.c.id == task_id).values(due_at=clock.breach if clock else None))
    return clock.breach if clock else None
