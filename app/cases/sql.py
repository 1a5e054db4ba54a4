"""SQL helpers of the service layer: executing prebuilt Core statements inside the session's transaction (the hot
path skips the ORM), and conditions written so that the planner uses the partial indexes.

A partial index serves a query only when the query states the index's condition itself. With the
states as bound parameters (`state IN (?, ?)`) neither SQLite nor a generic PostgreSQL plan can
prove that, so the open states are rendered as literals. SQLite, without planner statistics (the app
never runs ANALYZE), also prefers any index with an equality on `state` over a range of the partial
index that yields rows in page order; `indexed` names the index for SQLite (INDEXED BY), which
SQLAlchemy does not render for SQLite by itself. PostgreSQL, with statistics, chooses on its own.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, any_, bindparam, literal, or_, select, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.sqlite.base import SQLiteCompiler

from app.extensions import db
from app.models import FINAL_STATUSES, OPEN_STATES, Case, Department, Task


def sql(statement, params=None):
    """Execute a Core statement on the session's connection (inside its transaction)."""
    return db.session.connection().execute(statement, params)


def among(column, ids: list[int]):
    """`column IN (ids)` -- on PostgreSQL as `= ANY(array)`, one parameter: a batch of thousands of ids is sent as
    one array instead of thousands of parameters the driver would splice into the statement one by one."""
    if db.engine.dialect.name != "postgresql":
        return column.in_(ids)
    return column == any_(bindparam(None, list(ids), type_=ARRAY(BigInteger)))


def no_jit() -> None:
    """PostgreSQL's JIT off for the transaction: a batch of thousands of ids looks costly enough to compile its
    statements (~20 ms each), longer than running them."""
    if db.engine.dialect.name == "postgresql":
        sql(text("SET LOCAL jit = off"))


def _literal(name: str, values) -> bindparam:
    return bindparam(name, list(values), expanding=True, literal_execute=True)


OPEN_TASK = Task.state.in_(_literal("open_task_states", OPEN_STATES))
OPEN_CASE = Case.status.not_in(_literal("final_case_statuses", sorted(FINAL_STATUSES)))
RUNNING_INSTANCE = text("NOT process_instance.completed")  # as ix_process_instance_running states it
AT_RISK = Task.sla_state == bindparam("at_risk_state", "at_risk", literal_execute=True)


def in_department(code):
    """Work of a department (a code in capitals, or a parameter holding one): a task in one of its queues
    (`role@CODE`), or a task of a case filed with it."""
    return or_(Task.group.like(literal("%@").concat(code)),
               Case.department_id == select(Department.id).where(Department.code == code).scalar_subquery())


def indexed(stmt, entity, index: str | None):
    """`stmt` reading `entity` through `index` on SQLite (INDEXED BY); no effect elsewhere, nor without an index."""
    if index is None:
        return stmt
    return stmt.with_hint(entity, f"INDEXED BY {index}", dialect_name="sqlite")


def _sqlite_from_hint(self, table, text):
    return text  # SQLite's table hint is "INDEXED BY name", written right after the table


SQLiteCompiler.get_from_hint_text = _sqlite_from_hint
