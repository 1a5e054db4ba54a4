"""Seeding for benchmarks/inbox.py: a few hundred cases through the services, cloned in bulk to 100,000.

Cloned with INSERT ... SELECT (case, petitioner, process_instance, task and timer rows, ids and numbers offset
per copy), then the open tasks spread over groups, assignees and due dates; `check` counts the rows.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import text

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "bench-password-long"
DEPARTMENTS = ["ENV"] + [f"D{i:02d}" for i in range(1, 20)]
COMPLAINT = {
    "category": "complaint", "channel": "hotline", "title": "夜间施工噪音", "description": "工地每晚22点后仍在施工。",
    "petitioner": {"name": "张三", "phone": "13812345678", "address": "幸福路1号"},
}
CLONED = ("case", "petitioner", "process_instance", "task", "timer")


# --- seeding -------------------------------------------------------------------------------------

def fresh_app(url: str):
    """An app on `url` with its tables dropped and made anew, the reference data and the departments
    (ENV, D01..D19)."""
    from app import create_app
    from app.cases.bootstrap import ensure_reference_data
    from app.cases.people.departments import create_department
    from app.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.drop_all()
        db.create_all()
        ensure_reference_data()
        for code in DEPARTMENTS:
            create_department(code, f"科室 {code}")
        db.session.remove()
    return app


def build_app(url: str):
    from app.cases.people.users import create_user
    from app.cases.procedures.processes import deploy_bpmn
    from app.extensions import db

    app = fresh_app(url)
    with app.app_context():
        create_user("intake1", ["intake"], password=None)
        create_user("handler1", ["handler"], "ENV", password=PASSWORD)
        path = ROOT / "processes" / "complaint.bpmn"
        deploy_bpmn(path.read_bytes(), path.name, "bench")
        db.session.remove()
    return app


def seed(app, n: int) -> None:
    """N cases through the services: registered, and three in four triaged to a department (round robin)."""
    from app.cases.intake.appeal import parse_appeal
    from app.cases.intake.registration import register_case
    from app.cases.people.users import principal_of
    from app.cases.work.tasks import complete_task
    from app.extensions import db
    from app.models import User

    with app.app_context():
        intake = principal_of(db.session.scalar(db.select(User).where(User.username == "intake1")))
        for i in range(n):
            number = register_case(parse_appeal(COMPLAINT), "intake1").number
            if i % 4:
                task = db.session.scalar(_open_task_of(number))
                complete_task(intake, task.id, {"triage_decision": "accept", "department": DEPARTMENTS[i % len(DEPARTMENTS)]})
            if (i + 1) % 50 == 0 or i + 1 == n:
                print(f"\r  seeding through the services: {i + 1}/{n}", end="", flush=True)
        print()
        db.session.remove()


def _open_task_of(number: str):
    from app.extensions import db
    from app.models import Case, Task

    return db.select(Task).join(Case, Case.id == Task.case_id).where(Case.number == number, Task.state == "ready")


def clone(app, copies: int, first: int = 1, offset: int | None = None, compact_closed: bool = False) -> int:
    """The seeded rows of the cloned tables `copies` times more (copy numbers first..first+copies-1), ids offset
    by k * offset, case numbers '1' + the new id in 13 digits: unique, 14 digits long, and dense like a real
    sequence (any six last digits belong to a case or two per million, not to every copy of one seeded case).
    Only the seeded rows (ids below `offset`) are copied, so a second call extends the first.
    `compact_closed`: finished instances get a stub state (no list loads it; it saves gigabytes at a million).
    Returns the offset (pass it to the next call)."""
    from app.extensions import db
    from app.models.compression import compress_text

    with app.app_context():
        conn = db.session.connection()
        pg = conn.dialect.name == "postgresql"

        def pad(expr: str, width: int) -> str:
            return f"lpad(CAST({expr} AS TEXT), {width}, '0')" if pg else f"substr('{'0' * width}' || ({expr}), -{width})"

        def backwards(expr: str, width: int) -> str:  # SQLite has no reverse()
            return " || ".join(f"substr({expr}, {i}, 1)" for i in range(width, 0, -1))

        if offset is None:
            top = max(conn.execute(text(f'SELECT max(id) FROM "{t}"')).scalar() or 0
                      for t in ("case", "petitioner", "process_instance"))
            offset = 10 ** len(str(top))
        conn.execute(text("CREATE TABLE bench_copy (k INTEGER PRIMARY KEY)"))
        conn.execute(text("INSERT INTO bench_copy (k) VALUES (:k)"), [{"k": k} for k in range(first, first + copies)])
        new_id = f"(t.id + b.k * {offset})"
        fk = {c: f"(t.{c} + b.k * {offset})" for c in ("case_id", "instance_id")}
        engine_id = f"('c' || {pad('b.k', 7)} || substr(t.id, 9))"  # engine task ids: uuid, first 8 chars replaced
        # the stub is stored as the column stores text (compressed): the case page reads it like any other
        state = "(CASE WHEN t.completed THEN :stub ELSE t.state END)" if compact_closed else "t.state"
        overrides = {
            "case": {"id": new_id, "number": f"('1' || {pad(new_id, 13)})",
                     "number_reversed": f"({backwards(pad(new_id, 13), 13)} || '1')"},
            # a copy is nobody's case: a real person has a few cases, not thousands (the seeded ones keep theirs)
            "petitioner": {"id": new_id, **fk, "person_id": "NULL"},
            "process_instance": {"id": new_id, **fk, "state": state},
            "task": {"id": engine_id, **fk},
            "timer": {"id": engine_id, **fk,
                      "task_id": f"(CASE WHEN t.task_id IS NULL THEN NULL ELSE 'c' || {pad('b.k', 7)} "
                                 f"|| substr(t.task_id, 9) END)"},
        }
        seeded = {"case": "t.id", "petitioner": "t.case_id", "process_instance": "t.case_id", "task": "t.case_id",
                  "timer": "t.case_id"}
        for i, table in enumerate(CLONED):
            columns = [c.name for c in db.metadata.tables[table].c]
            exprs = [overrides[table].get(c, f't."{c}"') for c in columns]
            names = ", ".join(f'"{c}"' for c in columns)
            print(f"\r  cloning {table} x{copies} ({i + 1}/{len(CLONED)})...", end=" " * 10, flush=True)
            conn.execute(text(f'INSERT INTO "{table}" ({names}) SELECT {", ".join(exprs)} FROM "{table}" t CROSS JOIN bench_copy b '
                              f"WHERE {seeded[table]} < {offset}"),
                         {"stub": compress_text("{}")} if table == "process_instance" and compact_closed else {})
        conn.execute(text("DROP TABLE bench_copy"))
        if pg:
            for table in ("case", "petitioner", "process_instance"):
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), (SELECT max(id) FROM \"{table}\"))"))
        db.session.commit()
        print("\r  cloned" + " " * 60)
    return offset


def spread(app) -> None:
    """Open tasks spread as in a city: the department queues over 20 departments, ~1 in 250 of them ENV's,
    some claimed (a few by handler1); due dates over 41 daily buckets from 8 days ago on, the overdue flagged."""
    from app.extensions import db
    from app.models import utcnow

    now = utcnow()
    with app.app_context():
        conn = db.session.connection()
        handler_tasks = "\"group\" LIKE 'handler@%' AND state = 'ready'"
        conn.execute(text(f"UPDATE task SET \"group\" = 'handler@D' || {_mod2('case_id % 19 + 1')} WHERE {handler_tasks}"))
        conn.execute(text(f"UPDATE task SET \"group\" = 'handler@ENV' WHERE {handler_tasks} AND case_id % 251 = 0"))
        conn.execute(text("UPDATE task SET state = 'claimed', assignee = 'handler1', claimed_at = :now "
                          "WHERE \"group\" = 'handler@ENV' AND case_id % 7 = 0"), {"now": now})
        conn.execute(text("UPDATE task SET state = 'claimed', assignee = 'someone', claimed_at = :now "
                          "WHERE \"group\" <> 'handler@ENV' AND state = 'ready' AND case_id % 5 = 0"), {"now": now})
        for b in range(41):
            sla = "overdue" if b < 8 else "at_risk" if b < 10 else None
            conn.execute(text("UPDATE task SET due_at = :due, sla_state = :sla WHERE state IN ('ready', 'claimed') "
                              "AND case_id % 41 = :b"), {"due": now + timedelta(days=b - 8, hours=b % 5), "sla": sla, "b": b})
        db.session.commit()
        if conn.dialect.name == "postgresql":  # what autovacuum would have done by the time anyone looks
            db.session.execute(text("ANALYZE"))
            db.session.commit()


def _mod2(expr: str) -> str:
    """A number as two digits (D01..D19), the same text on SQLite and PostgreSQL."""
    return f"(CASE WHEN {expr} < 10 THEN '0' ELSE '' END) || CAST({expr} AS VARCHAR(2))"


def check(app, expected: int) -> dict[str, int]:
    """Counts per table; every case has exactly one open task; the handler's share of them."""
    from app.extensions import db

    with app.app_context():
        conn = db.session.connection()
        counts = {t: conn.execute(text(f'SELECT count(*) FROM "{t}"')).scalar() for t in CLONED}
        open_per_case = conn.execute(text(
            "SELECT count(*), min(n), max(n) FROM (SELECT c.id, (SELECT count(*) FROM task t WHERE t.case_id = c.id "
            "AND t.state IN ('ready', 'claimed')) AS n FROM \"case\" c) x")).one()
        groups = dict(conn.execute(text(
            "SELECT CASE WHEN \"group\" = 'handler@ENV' THEN 'ENV' WHEN \"group\" = 'intake' THEN 'intake' ELSE 'other' END, "
            "count(*) FROM task WHERE state IN ('ready', 'claimed') GROUP BY 1")).all())
        mine = conn.execute(text("SELECT count(*) FROM task WHERE assignee = 'handler1' AND state = 'claimed'")).scalar()
        db.session.remove()
    assert counts["case"] == expected == counts["petitioner"] == counts["process_instance"], counts
    assert open_per_case[1] == open_per_case[2] == 1, f"open tasks per case: min {open_per_case[1]}, max {open_per_case[2]}"
    print("  rows: " + ", ".join(f"{t} {n:,}" for t, n in counts.items()) + "; one open task per case: yes")
    print(f"  open tasks: handler@ENV {groups.get('ENV', 0):,} (claimed by handler1: {mine}), intake {groups.get('intake', 0):,},"
          f" other departments {groups.get('other', 0):,}")
    return counts
