"""The facts of a case every figure is counted from (docs/statistics.md): when it was received, accepted, first
answered and by whom, the answer date in force then, what became of it, its ratings, follow-up verdicts,
extensions, holds, breaches, notices and escalations, and its first step by staff -- read for many cases at once
(three statements), from the case rows, their ledger and their task rows."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from itertools import groupby

from sqlalchemy import DateTime, func, literal, or_, select, type_coerce
from sqlalchemy.dialects.postgresql import aggregate_order_by, distinct_on

from app.extensions import db
from app.models import Case, LedgerEntry, Task

from ..ledger import PETITIONER, SYSTEM
from ..sql import among, sql

# the ledger entries the facts are read from
ACTIONS = ("case.status_changed", "case.answered", "case.answer_by_changed", "case.followed_up",
           "case.satisfaction_recorded", "case.withdrawn", "case.held", "case.resumed", "sla.breach",
           "notice.issued", "case.escalated", "sla.escalation", "case.counting_appeal_decided", "case.resolution_stated")
NOT_STAFF = (SYSTEM, PETITIONER)


@dataclass
class CaseFacts:
    case_id: int
    received_at: datetime
    department_id: int | None
    category: str
    channel: str
    topic_id: int | None
    area_id: int | None
    repeat: bool
    review: bool
    confidential: bool
    closed_at: datetime | None  # final (closed, rejected or withdrawn)
    due_at: datetime | None
    answer_by: datetime | None  # the answer date now
    accepted_at: datetime | None = None
    not_accepted_at: datetime | None = None
    closed_as_closed_at: datetime | None = None
    withdrawn_at: datetime | None = None
    first_answer_at: datetime | None = None
    answer_deadline: datetime | None = None  # the answer date in force at the first answer
    handler: str | None = None  # who gave the first answer
    answer_by_changes: int = 0
    first_step: tuple[datetime | None, datetime | None, str] | None = None  # (done at, limit, task) of the first staff step
    ratings: list[tuple[datetime, int]] = field(default_factory=list)
    verdicts: list[tuple[datetime, str]] = field(default_factory=list)  # follow-up outcomes
    extensions: list[datetime] = field(default_factory=list)
    rehandled: list[datetime] = field(default_factory=list)
    holds: list[tuple[datetime, datetime | None]] = field(default_factory=list)
    breaches: list[datetime] = field(default_factory=list)
    breached_tasks: set[str] = field(default_factory=set)
    appealed_away: set[int] = field(default_factory=set)  # departments an upheld appeal took the case from
    notices: list[datetime] = field(default_factory=list)
    escalations: list[datetime] = field(default_factory=list)


def facts_of(case_ids: list[int]) -> dict[int, CaseFacts]:
    """{case id: its facts} for these cases."""
    if not case_ids:
        return {}
    found = {row.id: CaseFacts(row.id, row.received_at, row.department_id, row.category, row.channel, row.topic_id,
                               row.area_id, row.repeat_of_id is not None, row.review_of_id is not None,
                               row.confidential, row.closed_at, row.due_at, row.answer_by)
             for row in sql(select(
                 Case.id, _moment_col(Case.received_at), Case.department_id, Case.category, Case.channel,
                 Case.topic_id, Case.area_id, Case.repeat_of_id, Case.review_of_id, Case.confidential,
                 _moment_col(Case.closed_at), _moment_col(Case.due_at), _moment_col(Case.answer_by))
                 .where(among(Case.id, case_ids)))}
    for case_id, entries in _entries(case_ids):
        _apply_all(found[case_id], entries)
    for facts in found.values():
        if facts.first_answer_at is not None and facts.answer_deadline is None and not facts.answer_by_changes:
            facts.answer_deadline = facts.answer_by  # set at registration (the ledger has it not) and never changed
    _first_steps(found)
    return found


def _entries(case_ids: list[int]) -> Iterator[tuple[int, list]]:
    """(case id, [(at, actor, action, details), …] in the order written) of the cases' entries the facts read. On
    PostgreSQL the database gathers each case's entries into one JSON array -- a row a case instead of a row an entry,
    the rows a recount of millions spends its time fetching (`at` then an ISO text, `details` decoded)."""
    where = (among(LedgerEntry.case_id, case_ids), LedgerEntry.action.in_(ACTIONS))
    if db.engine.dialect.name == "postgresql":
        gathered = func.json_agg(aggregate_order_by(func.json_build_array(
            LedgerEntry.at, LedgerEntry.actor, LedgerEntry.action, LedgerEntry.details), LedgerEntry.id))
        for case_id, entries in sql(select(LedgerEntry.case_id, gathered).where(*where).group_by(LedgerEntry.case_id)):
            yield case_id, [(datetime.fromisoformat(at), actor, action, details or {})
                            for at, actor, action, details in entries]
        return
    rows = sql(select(LedgerEntry.case_id, LedgerEntry.at, LedgerEntry.actor, LedgerEntry.action, LedgerEntry.details)
               .where(*where).order_by(LedgerEntry.case_id, LedgerEntry.id))
    for case_id, group in groupby(rows, key=lambda row: row[0]):
        yield case_id, [(at, actor, action, details or {}) for _, at, actor, action, details in group]


def _apply_all(facts: CaseFacts, entries: list) -> None:
    answer_by: datetime | None = None  # the answer date in force, while the case is not yet answered
    for at, actor, action, d in entries:
        if action == "case.answer_by_changed" and facts.first_answer_at is None:
            answer_by = _moment(d.get("answer_by"))
        elif action == "case.answered" and facts.first_answer_at is None:
            facts.answer_deadline = answer_by
        _apply(facts, at, actor, action, d)


def _apply(facts: CaseFacts, at: datetime, actor: str, action: str, d: dict) -> None:
    if action == "case.status_changed":
        moved = (d.get("from"), d.get("to"))
        if moved == ("registered", "handling") and facts.accepted_at is None:
            facts.accepted_at = at
        elif moved[1] == "rejected":
            facts.not_accepted_at = at
        elif moved[1] == "closed":
            facts.closed_as_closed_at = at
        elif moved == ("answered", "handling"):
            facts.rehandled.append(at)
    elif action == "case.answered" and facts.first_answer_at is None:
        facts.first_answer_at, facts.handler = at, actor
    elif action == "case.answer_by_changed":
        facts.answer_by_changes += 1
        if d.get("because") == "extended":
            facts.extensions.append(at)
    elif action == "case.followed_up":
        facts.verdicts.append((at, d.get("outcome")))
    elif action == "case.resolution_stated" and d.get("resolved") is not None:  # the petitioner's own word
        facts.verdicts.append((at, "resolved" if d["resolved"] else "not_resolved"))
    elif action == "case.satisfaction_recorded" and d.get("score") is not None:
        facts.ratings.append((at, int(d["score"])))
    elif action == "case.withdrawn":
        facts.withdrawn_at = at
    elif action == "case.held":
        facts.holds.append((at, None))
    elif action == "case.resumed" and facts.holds and facts.holds[-1][1] is None:
        facts.holds[-1] = (facts.holds[-1][0], at)
    elif action == "sla.breach":
        facts.breaches.append(at)
        if d.get("task") is not None:
            facts.breached_tasks.add(str(d["task"]))  # the engine's task id
    elif action == "notice.issued":
        facts.notices.append(at)
    elif action in ("case.escalated", "sla.escalation"):
        facts.escalations.append(at)
    elif action == "case.counting_appeal_decided" and d.get("upheld"):
        facts.appealed_away.add(int(d["department"]))


def _first_steps(found: dict[int, CaseFacts]) -> None:
    """The first step by staff of each case: the first task a person completed, else its first task still undone."""
    ids = list(found)
    done_q = (select(Task.case_id, _moment_col(Task.completed_at), _moment_col(Task.due_at), Task.id)
              .where(among(Task.case_id, ids), Task.state == "completed", Task.completed_at.is_not(None),
                     or_(Task.completed_by.is_(None), Task.completed_by.not_in(NOT_STAFF))))
    undone_q = (select(Task.case_id, literal(None), _moment_col(Task.due_at), Task.id)
                .where(among(Task.case_id, ids), Task.state.in_(("ready", "claimed"))))
    if db.engine.dialect.name == "postgresql":  # one row a case, chosen by the database
        done_q = done_q.ext(distinct_on(Task.case_id)).order_by(Task.case_id, Task.completed_at, Task.created_at)
        undone_q = undone_q.ext(distinct_on(Task.case_id)).order_by(Task.case_id, Task.created_at)
    else:
        done_q = done_q.order_by(Task.case_id, Task.completed_at.desc(), Task.created_at.desc())
        undone_q = undone_q.order_by(Task.case_id, Task.created_at.desc())
    first: dict[int, tuple] = {}
    for query in (undone_q, done_q):  # the last row of a case wins: a done step over an undone one
        first.update({case_id: (done_at, due_at, task_id) for case_id, done_at, due_at, task_id in sql(query)})
    for case_id, facts in found.items():
        facts.first_step = first.get(case_id)


def _moment_col(column):
    """A timestamp column as the driver gives it where that is already an aware datetime (PostgreSQL): a recount reads
    millions, and the column type's own conversion (needed on SQLite, which keeps them naive) costs a call each."""
    if db.engine.dialect.name != "postgresql":
        return column
    return type_coerce(column, DateTime(timezone=True)).label(column.key)


def _moment(value) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return None
