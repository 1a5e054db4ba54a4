"""Every row of a set of cases, across the tables that hang off them, as JSON and back.

The tables are found from the schema: those with a foreign key to "case" (the ledger, tasks, timers, the process
instance, notices, ...) and those with one to them (outbox messages of notifications, drafts of tasks). Values are
written as the columns give them (a date as ISO text, compressed state as its text) and read back through the same
column types, so a restored row is the row that left.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, DateTime, Table, delete, insert, select

from app.extensions import db
from app.models import Case

CASE = Case.__table__


def case_tables() -> list[tuple[Table, str, Table | None]]:
    """(table, its column pointing up, the table it points to) for every table that hangs off "case", parents first;
    "case" itself first with no parent (its rows are selected by id)."""
    found: list[tuple[Table, str, Table | None]] = [(CASE, "id", None)]
    known = {CASE}
    for table in db.metadata.sorted_tables:  # parents before children
        if table in known:
            continue
        # a row's own case when it names one (case_id), else the row of a case table it belongs to
        links = sorted(((fk.parent.name != "case_id", fk.parent.name, fk.column.table) for fk in table.foreign_keys
                        if (fk.column.table in known and fk.column.table is not CASE) or fk.parent.name == "case_id"),
                       key=lambda link: link[:2])
        if links:
            _, column, parent = links[0]
            found.append((table, column, parent))
            known.add(table)
    return found


def export_rows(case_ids: list[int]) -> dict[int, dict[str, list[dict]]]:
    """case id -> table name -> its rows (JSON-ready), for the given cases."""
    out: dict[int, dict[str, list[dict]]] = {cid: {} for cid in case_ids}
    owners: dict[str, dict[Any, int]] = {"case": {cid: cid for cid in case_ids}}  # table -> row key -> case id
    for table, column, parent in case_tables():
        parent_owner = owners["case" if parent is None else parent.name]
        keys = sorted(parent_owner, key=str)
        mine: dict[Any, int] = {}
        rows = []
        for chunk in _chunks(keys, 500):
            rows += db.session.execute(select(table).where(table.c[column].in_(chunk))
                                       .order_by(*table.primary_key.columns)).mappings().all()
        key_column = table.primary_key.columns.values()[0].name
        for row in rows:
            owner = parent_owner[row[column]]
            mine[row[key_column]] = owner
            out[owner].setdefault(table.name, []).append({c.name: _dump(row[c.name]) for c in table.c})
        owners[table.name] = mine
    return out


def delete_rows(case_ids: list[int]) -> None:
    """Remove the cases and everything hanging off them, children first (inside the caller's transaction)."""
    tables = case_tables()
    keys: dict[str, list] = {"case": list(case_ids)}
    for table, column, parent in tables[1:]:  # the keys of every table's rows, parents first
        parent_keys = keys["case" if parent is None or parent is CASE else parent.name]
        key = table.primary_key.columns.values()[0]
        found = []
        for chunk in _chunks(parent_keys, 500):
            found += db.session.scalars(select(key).where(table.c[column].in_(chunk))).all()
        keys[table.name] = found
    for table, _column, _parent in reversed(tables):
        key = table.primary_key.columns.values()[0]
        if table is CASE:
            # a review (复查/复核) archived with its original points at it: unlink before either goes
            for chunk in _chunks(keys["case"], 500):
                db.session.execute(CASE.update().where(CASE.c.id.in_(chunk)).values(review_of_id=None))
        for chunk in _chunks(keys[table.name], 500):
            db.session.execute(delete(table).where(key.in_(chunk)))


def insert_rows(rows: dict[str, list[dict]]) -> None:
    """Put one case's rows back, parents first (inside the caller's transaction)."""
    for table, _column, _parent in case_tables():
        found = rows.get(table.name)
        if found:
            db.session.execute(insert(table), [{c.name: _load(c.type, r.get(c.name)) for c in table.c} for r in found])


def _dump(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        return {"$bytes": bytes(value).hex()}
    return value


def _load(column_type, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, dict) and set(value) == {"$bytes"}:
        return bytes.fromhex(value["$bytes"])
    python_type = getattr(getattr(column_type, "impl", column_type), "__class__", None)
    if isinstance(column_type, DateTime) or (python_type and issubclass(python_type, DateTime)):
        return datetime.fromisoformat(value)
    if isinstance(column_type, Date) or (python_type and issubclass(python_type, Date)):
        return date.fromisoformat(value)
    return value


def _chunks(items: list, size: int) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]
