"""The ledger (台账): the one writer of a case's history, and the registry of every action it may hold.

Every entry names an action registered in ACTIONS, with its label (an English msgid, marked with N_ for
extraction; the pages show it in their language through the catalogue). Writing an action that is not
registered is a programming error and fails at once, so no page ever meets a code it cannot name.
The ledger is append-only: entries are inserted, never changed.

What the ledger would say twice it says once: an entry of a step (created, claimed, assigned, completed, cancelled)
names the task by its id, and the step's BPMN id and title live in the task's row (archived with the case);
`readable()` puts them back for every reader (pages, API, work record). At twenty-six entries a case and 110 M cases, each byte
an entry repeats is 2.9 GB.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from app.extensions import db
from app.models import LedgerEntry, StatPending, Task, utcnow

from .errors import T
from .sql import sql

SYSTEM = "system"  # the actor of timers and other background steps: not activity by a person
PETITIONER = "petitioner"  # the actor of what a petitioner does with the access code


def N_(text: str) -> str:
    """Marks a label for the translation catalogue; translated where it is shown."""
    return text


ACTIONS: dict[str, str] = {
    # the case
    "case.registered": N_("Registered"),
    "case.routed": N_("Routed to a department"),
    "case.message_received": N_("The process received a message"),
    "case.rerouted": N_("Re-routed to another department"),
    "case.routing_objected": N_("Objection to the routing"),
    "case.status_changed": N_("Status changed"),
    "case.due_changed": N_("Deadline changed"),
    "case.answer_by_changed": N_("Answer date changed"),
    "case.held": N_("Put on hold"),
    "case.resumed": N_("Resumed"),
    "case.rated": N_("Rated by the petitioner"),
    "case.resolution_stated": N_("The petitioner said whether the problem is resolved"),
    "case.followed_up": N_("Follow-up visit recorded"),
    "case.answered": N_("Answer given"),
    "case.statement_published": N_("Public statement published"),
    "case.satisfaction_recorded": N_("Satisfaction recorded"),
    "case.unrated": N_("No rating within the rating period"),
    "case.reclassified": N_("Reclassified"),
    "case.review_requested": N_("Review requested"),
    "case.repeat_received": N_("Repeat appeal received"),
    "case.linked_as_repeat": N_("Found at triage to repeat an open case"),
    "case.classified": N_("Topic or area changed"),
    "case.made_confidential": N_("Marked confidential"),
    "case.made_open": N_("No longer confidential"),
    "case.refused": N_("Not accepted: the claim went through re-review already"),
    "case.withdrawal_requested": N_("Withdrawal requested"),
    "case.withdrawn": N_("Withdrawn"),
    "case.escalated": N_("Escalated to leadership"),
    "case.counting_appealed": N_("Appeal against counting the case for the department"),
    "case.counting_appeal_decided": N_("Appeal against counting decided"),
    "attachment.added": N_("File attached"),
    "case.petitioner_message": N_("Message from the petitioner"),
    # tasks
    "task.created": N_("Task opened"),
    "task.claimed": N_("Task claimed"),
    "task.released": N_("Task released"),
    "task.completed": N_("Task completed"),
    "task.assigned": N_("Task assigned"),
    "task.offered": N_("Task offered to the people the diagram names"),
    "task.cancelled": N_("Task cancelled"),
    # clocks and supervision
    "timer.fired": N_("Time limit reached"),
    "timer.recomputed": N_("Time limits recomputed"),
    "sla.recomputed": N_("Time limits recomputed"),
    "sla.warning": N_("Deadline near"),
    "sla.breach": N_("Deadline passed"),
    "sla.escalation": N_("Escalated as overdue"),
    "notice.issued": N_("Supervision notice issued"),
    "notice.answered": N_("Supervision notice answered"),
    "incident.opened": N_("Incident"),
    # messages to the petitioner
    "message.sent": N_("Message sent to the petitioner"),
    "message.failed": N_("Message could not be delivered"),
    "message.uncertain": N_("Message delivery uncertain"),
    "message.retried": N_("Message sent again"),
    # the process
    "process.started": N_("Process started"),
    "process.completed": N_("Process finished"),
    "process.migrated": N_("Moved to a new process version"),
    "process.migration_rolled_back": N_("Moved back to the previous process version"),
}


class UnknownActionError(LookupError):
    """A code path tried to write an action the registry does not know (a programming error)."""


def label(action: str) -> str:
    """The label (msgid) of a registered action; an unknown code is shown as it is."""
    return ACTIONS.get(action, action)


def entry(action: str, **details: Any) -> dict[str, Any]:
    """One entry to write later (an operation collects them and writes them at save)."""
    _check(action)
    return {"action": action, "details": details}


def said_once(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """An operation's entries without repeats: a petitioner's rating that the process recorded as the case's
    satisfaction (`case.satisfaction_recorded`, source petitioner, same score and comment) is that one entry;
    `case.rated` stays only where a process took the rating without recording it."""
    recorded = {(e["details"].get("score"), e["details"].get("comment")) for e in entries
                if e["action"] == "case.satisfaction_recorded" and e["details"].get("source") == "petitioner"}
    return [e for e in entries if not (e["action"] == "case.rated"
                                       and (e["details"].get("score"), e["details"].get("comment")) in recorded)]


def record(case_id: int, actor: str, action: str, **details: Any) -> None:
    """Append one entry to a case's ledger, in the caller's transaction."""
    write(case_id, actor, [entry(action, **details)])


def write(case_id: int, actor: str, entries: list[dict[str, Any]]) -> None:
    """Append entries of one case by one actor in one multi-row INSERT, in the caller's transaction."""
    write_batch([{"case_id": case_id, "actor": actor, **e} for e in entries])


def write_batch(rows: list[dict[str, Any]]) -> None:
    """Append entries of many cases ({case_id, actor, action, details}) in one INSERT: a burst of
    deadlines writes thousands at once."""
    if not rows:
        return
    now = utcnow()
    for row in rows:
        _check(row["action"])
    sql(_INSERT, [{"case_id": r["case_id"], "at": now, "actor": r["actor"], "action": r["action"], "details": r["details"]}
                  for r in rows])
    _mark_for_the_figures(sorted({r["case_id"] for r in rows}))


def _mark_for_the_figures(case_ids: list[int]) -> None:
    """The cases' contributions to the figures are to be counted again (app/cases/reports/folding.py): a mark that
    grows with every write, in the writer's transaction, so no entry is ever left out of the figures."""
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(_PENDING)
    sql(stmt.on_conflict_do_update(index_elements=["case_id"], set_={"mark": _PENDING.c.mark + 1}),
        [{"case_id": case_id, "mark": 1} for case_id in case_ids])


@dataclass(frozen=True)
class Entry:
    """One entry as it is read: the stored details, with a step's name and title put back."""
    id: int
    case_id: int
    at: datetime
    actor: str
    action: str
    details: dict[str, Any]


def readable(entries: list[LedgerEntry]) -> list[Entry]:
    """Entries for reading: each step entry gets the step's `name` (BPMN id) and `title` from its task's row (one
    query); entries written before the ledger stopped repeating them keep their own."""
    ids = sorted({e.details.get("task") for e in entries if e.action.startswith("task.") and e.details.get("task")})
    steps = {tid: (name, title) for tid, name, title in db.session.execute(
        select(Task.id, Task.name, Task.title).where(Task.id.in_(ids)))} if ids else {}
    out = []
    for e in entries:
        details = e.details or {}
        step = steps.get(details.get("task")) if e.action.startswith("task.") else None
        if step is not None:
            details = {"name": step[0], "title": step[1], **details}
        out.append(Entry(e.id, e.case_id, e.at, e.actor, e.action, details))
    return out


def _check(action: str) -> None:
    if action not in ACTIONS:
        raise UnknownActionError(T("'%(action)s' is not a ledger action (app/cases/ledger.py ACTIONS)", action=action))


_INSERT = LedgerEntry.__table__.insert()
_PENDING = StatPending.__table__
