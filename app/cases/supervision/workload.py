"""Workload for the supervisor console: open, overdue and at-risk tasks and the oldest open one, per
handler (the assignee) or per department (the department whose queue holds the task: `role@CODE`).

Written so that a million closed cases cost nothing and fifty thousand open tasks are not all read:
the handlers and queues are found by skipping through the open-task indexes (a recursive query that
asks for the next name after the last, one index probe each), and each figure per name is a limited
range of the same index, counted up to COUNT_CAP + 1 ("1,000+"). At-risk tasks, a few in a hundred,
are counted from their own small index.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, text

from app.extensions import db
from app.models import utcnow
from app.models.types import UTCDateTime

from .. import errors
from ..errors import T
from ..lists import task_lists
from ..policy import Principal, supervision_scope

OPEN = "state IN ('ready', 'claimed')"  # the partial indexes' condition, written as they state it
# per name (column `key`): the next name, and the capped figures, each through the index named
SQL = """
WITH RECURSIVE names(name) AS (
  SELECT (SELECT min({key}) FROM task {by_key} WHERE {open} AND {key} IS NOT NULL)
  UNION ALL
  SELECT (SELECT min({key}) FROM task {by_key} WHERE {open} AND {key} > names.name) FROM names WHERE names.name IS NOT NULL
)
SELECT names.name,
  (SELECT count(*) FROM (SELECT 1 FROM task {by_key} WHERE {open} AND {key} = names.name LIMIT :cap) o) AS open,
  (SELECT count(*) FROM (SELECT 1 FROM task {by_key} WHERE {open} AND {key} = names.name AND due_at < :now LIMIT :cap) d)
    AS overdue,
  (SELECT min(created_at) FROM task {by_created} WHERE {open} AND {key} = names.name) AS oldest
FROM names WHERE names.name IS NOT NULL
"""
AT_RISK_SQL = ("SELECT {key}, count(*) FROM task {at_risk} WHERE {open} AND sla_state = 'at_risk' AND {key} IS NOT NULL "
               "GROUP BY {key}")
INDEXES = {  # (by name, then due time), (by name, then creation), (at risk, by name) — SQLite's INDEXED BY;
    # PostgreSQL plans alone
    "assignee": ("ix_task_open_assignee_due", "ix_task_open_assignee_created", "ix_task_open_at_risk_assignee"),
    '"group"': ("ix_task_open_group_due", "ix_task_open_group_created", "ix_task_open_at_risk_group"),
}


def workload_rows(user: Principal, by: str) -> list[dict]:
    """Per handler or department: open, overdue, at risk (each up to COUNT_CAP + 1), oldest open since."""
    if by not in ("handler", "department"):
        raise errors.ValidationFailedError(T('bad grouping'), {"by": [T('one of handler, department')]})
    key = "assignee" if by == "handler" else '"group"'
    rows = _figures(key)
    if by == "department":
        rows = _per_department(rows)
    scope = supervision_scope(user)
    if scope is not None:
        rows = [r for r in rows if r["name"] == scope] if by == "department" else _in_department(rows, scope)
    rows.sort(key=lambda r: (-r["overdue"], r["name"]))
    return [dict(r, oldest_open_since=r["oldest_open_since"].isoformat() if r["oldest_open_since"] else None)
            for r in rows]


def _figures(key: str) -> list[dict]:
    sqlite = db.session.get_bind().dialect.name == "sqlite"
    hint = (lambda index: f"INDEXED BY {index}") if sqlite else (lambda index: "")
    by_key, by_created, at_risk_by_key = INDEXES[key]
    statement = text(SQL.format(key=key, open=OPEN, by_key=hint(by_key), by_created=hint(by_created))).bindparams(
        bindparam("now", type_=UTCDateTime), bindparam("cap"))
    cap = task_lists.COUNT_CAP + 1
    rows = db.session.execute(statement, {"now": utcnow(), "cap": cap}).all()
    at_risk = dict(db.session.execute(text(AT_RISK_SQL.format(key=key, open=OPEN, at_risk=hint(at_risk_by_key)))).all())
    oldest = UTCDateTime().process_result_value  # raw SQL: the column type does not convert
    return [{"name": name, "open": n_open, "overdue": overdue, "at_risk": min(at_risk.get(name, 0), cap),
             "oldest_open_since": oldest(_datetime(first), None)} for name, n_open, overdue, first in rows]


def _datetime(value):
    """SQLite hands a text timestamp back from raw SQL; PostgreSQL a datetime."""
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def _per_department(rows: list[dict]) -> list[dict]:
    """Queues `role@CODE` summed per department CODE; queues of no department (intake, leaders…) under '-'."""
    cap = task_lists.COUNT_CAP + 1
    merged: dict[str, dict] = {}
    for r in rows:
        code = r["name"].rpartition("@")[2] if "@" in r["name"] else "-"
        m = merged.setdefault(code, {"name": code, "open": 0, "overdue": 0, "at_risk": 0, "oldest_open_since": None})
        for figure in ("open", "overdue", "at_risk"):
            m[figure] = min(m[figure] + r[figure], cap)
        if r["oldest_open_since"] and (m["oldest_open_since"] is None or r["oldest_open_since"] < m["oldest_open_since"]):
            m["oldest_open_since"] = r["oldest_open_since"]
    return list(merged.values())


def _in_department(rows: list[dict], code: str) -> list[dict]:
    """The handlers of one department: the assignees of that department's queues."""
    names = set(db.session.scalars(
        text(f"SELECT DISTINCT assignee FROM task WHERE {OPEN} AND assignee IS NOT NULL AND \"group\" LIKE :queue")
        .bindparams(queue=f"%@{code}")))
    return [r for r in rows if r["name"] in names]

