"""On PostgreSQL the hot lists read the partial, trigram and number indexes made for them (migrations 0015-0018):
the plans of the statements each request sends, through the real entry points, name those indexes.

The tables here are tiny, where a sequential scan is cheapest; with sequential scans priced out
(enable_seqscan off) the planner still has to find an index that can serve the query -- which is what
this checks: that the queries state the partial indexes' conditions, so the index applies at all."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from sqlalchemy import event

from app import clock
from app.extensions import db
from tests.helpers import TRIAGE_ACCEPT, complete, register

pytestmark = pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgresql"),
                                reason="PostgreSQL plans (the suite runs on PostgreSQL with DATABASE_URL)")


def plans(client, path, headers, off=("seqscan",)) -> str:
    """EXPLAIN of every SELECT one request sends, as one text, with the plan kinds `off` priced out."""
    seen = []

    def listener(conn, cursor, statement, params, context, many):
        seen.append((statement, params))

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        response = client.get(path, headers=headers)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert response.status_code == 200, response.json
    out = []
    with db.engine.connect() as conn:
        for kind in off:
            conn.exec_driver_sql(f"SET enable_{kind} = off")
        for statement, params in seen:
            if statement.lstrip().upper().startswith(("SELECT", "WITH")):
                out += [row[0] for row in conn.exec_driver_sql("EXPLAIN " + statement, params).all()]
    return "\n".join(out)


@pytest.fixture
def busy(client, staff, deployed, complaint, frozen):
    clerk = staff.headers("intake1")
    numbers = [register(client, clerk, dict(complaint, title=f"幸福路{i}号夜间施工噪音"))["number"] for i in range(6)]
    for number in numbers[:3]:
        complete(client, clerk, number, TRIAGE_ACCEPT)
    clock.advance(timedelta(days=40))
    with db.engine.begin() as conn:
        conn.exec_driver_sql('ANALYZE task; ANALYZE "case"')
    return numbers


@pytest.mark.parametrize(("who", "path", "index"), [
    ("handler1", "/api/v1/tasks?scope=group&sort=due_at", "ix_task_open_group_due"),
    ("super1", "/api/v1/supervision/tasks?view=overdue", "ix_task_open_due"),
    ("super1", "/api/v1/supervision/tasks?view=at_risk", "ix_task_open_at_risk"),
    ("analyst1", "/api/v1/cases?overdue=true", "ix_case_open_due"),
])
def test_the_hot_lists_read_their_indexes(client, staff, busy, who, path, index):
    assert index in plans(client, path, staff.headers(who))


def test_text_search_reads_the_trigram_index(client, staff, busy):
    # newest first, a tiny table is cheapest read backwards along the primary key: price that out too
    assert "ix_case_department_title_trgm" in plans(client, "/api/v1/cases?q=施工噪音", staff.headers("analyst1"),
                                                    off=("seqscan", "indexscan"))


def test_a_departments_text_search_reads_the_index_keyed_by_department_and_text(client, staff, busy):
    """A handler's search asks the (department, title) index for both at once, for a text and for two characters."""
    for q in ("施工噪音", "噪音"):
        plan = plans(client, f"/api/v1/cases?q={q}", staff.headers("handler1"), off=("seqscan", "indexscan"))
        assert "ix_case_department_title_" in plan and "department_id =" in plan, plan


def test_digits_search_ranges_of_the_number_indexes_forwards_and_backwards(client, staff, busy):
    plan = plans(client, f"/api/v1/cases?q={busy[2][-6:]}", staff.headers("analyst1"), off=("seqscan", "indexscan"))
    assert "uq_case_number" in plan and "ix_case_number_reversed" in plan and "ix_case_department_title_trgm" in plan


def test_a_whole_case_number_is_looked_up_by_its_unique_index(client, staff, busy):
    plan = plans(client, f"/api/v1/cases?q={busy[2]}", staff.headers("analyst1"))
    assert "uq_case_number" in plan and "trgm" not in plan


def test_the_sender_and_the_messages_page_read_only_the_unsent_messages_index(app):
    """The outbox's state index holds the unsent messages alone; the sender's claim and the counts of the states
    a person must look at still find it (a sent message, nearly all of them, costs it nothing)."""
    from sqlalchemy import func, select

    from app.models import OutboxMessage
    from app.models.types import utcnow

    due = (select(OutboxMessage.id).where(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= utcnow())
           .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id).limit(10))
    counts = (select(OutboxMessage.status, func.count()).where(OutboxMessage.status != "sent")
              .group_by(OutboxMessage.status))
    with db.engine.connect() as conn:
        conn.exec_driver_sql("SET enable_seqscan = off")
        for stmt in (due, counts):
            sql = str(stmt.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
            plan = "\n".join(r[0] for r in conn.exec_driver_sql("EXPLAIN " + sql))
            assert "ix_outbox_message_unsent" in plan, plan
