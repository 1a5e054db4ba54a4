"""The inbox with 100,000 open cases: server time of the pages a handler uses all day, on SQLite (and PostgreSQL).

Run from the repo root:  .venv/bin/python benchmarks/inbox.py [--cases 100000] [--seed 400] [--repeat 50] [--postgres]

A few hundred real cases go through the service layer (`register_case`, most of them triaged to one of 20
departments with `complete_task`), then they are cloned in bulk with INSERT ... SELECT (case, petitioner,
process_instance, task and timer rows, ids and numbers offset per copy) and the open tasks spread over
groups, assignees and due dates. The handler measured (handler1, ENV) signs in with the test client and
GETs each view `--repeat` times; the figure is the server time around the test-client call (no network).
Prints p50/p95/max in ms per view against the target (p95 <= 100 ms) and the row counts. With `--explain`
it also prints the plan of every SELECT one request of each view sends. A benchmark, not a test: exits 0
unless something raises.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from flask.testing import FlaskClient
from sqlalchemy import event, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_MS = 100.0
PASSWORD = "bench-password-long"
DEPARTMENTS = ["ENV"] + [f"D{i:02d}" for i in range(1, 20)]
COMPLAINT = {
    "category": "complaint", "channel": "hotline", "title": "夜间施工噪音", "description": "工地每晚22点后仍在施工。",
    "petitioner": {"name": "张三", "phone": "13812345678", "address": "幸福路1号"},
}
CLONED = ("case", "petitioner", "process_instance", "task", "timer")


class FreshContextClient(FlaskClient):
    """Each request in its own app context, as in a server (as tests/web/test_staff_page_rules.py does)."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


# --- seeding -------------------------------------------------------------------------------------

def build_app(url: str):
    from app import create_app
    from app.cases import people
    from app.cases.processes import deploy_bpmn
    from app.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.drop_all()
        db.create_all()
        people.ensure_reference_data()
        for code in DEPARTMENTS:
            people.create_department(code, f"科室 {code}")
        people.create_user("intake1", ["intake"], password=None)
        people.create_user("handler1", ["handler"], "ENV", password=PASSWORD)
        path = ROOT / "processes" / "complaint.bpmn"
        deploy_bpmn(path.read_bytes(), path.name, "bench")
        db.session.remove()
    return app


def seed(app, n: int) -> None:
    """N cases through the services: registered, and three in four triaged to a department (round robin)."""
    from app.cases.intake import register_case
    from app.cases.people import principal_of
    from app.cases.tasks import complete_task
    from app.extensions import db
    from app.models import User

    with app.app_context():
        intake = principal_of(db.session.scalar(db.select(User).where(User.username == "intake1")))
        for i in range(n):
            number = register_case(dict(COMPLAINT, petitioner=dict(COMPLAINT["petitioner"])), "intake1").number
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


def clone(app, copies: int) -> None:
    """Every seeded row of the cloned tables `copies` times more, ids (and numbers) offset by k * OFFSET."""
    from app.extensions import db

    with app.app_context():
        conn = db.session.connection()
        pg = conn.dialect.name == "postgresql"

        def pad(expr: str, width: int) -> str:
            return f"lpad(CAST({expr} AS TEXT), {width}, '0')" if pg else f"substr('{'0' * width}' || ({expr}), -{width})"

        top = max(conn.execute(text(f'SELECT max(id) FROM "{t}"')).scalar() or 0
                  for t in ("case", "petitioner", "process_instance"))
        offset = 10 ** len(str(top))
        conn.execute(text("CREATE TABLE bench_copy (k INTEGER PRIMARY KEY)"))
        conn.execute(text("INSERT INTO bench_copy (k) VALUES (:k)"), [{"k": k} for k in range(1, copies + 1)])
        new_id = f"(t.id + b.k * {offset})"
        fk = {c: f"(t.{c} + b.k * {offset})" for c in ("case_id", "instance_id")}
        engine_id = f"('c' || {pad('b.k', 7)} || substr(t.id, 9))"  # engine task ids: uuid, first 8 chars replaced
        overrides = {
            "case": {"id": new_id, "number": f"(substr(t.number, 1, 8) || "
                                              f"{pad(f'CAST(substr(t.number, 9) AS INTEGER) + b.k * {offset}', 6)})"},
            "petitioner": {"id": new_id, **fk},
            "process_instance": {"id": new_id, **fk},
            "task": {"id": engine_id, **fk},
            "timer": {"id": engine_id, **fk,
                      "task_id": f"(CASE WHEN t.task_id IS NULL THEN NULL ELSE 'c' || {pad('b.k', 7)} "
                                 f"|| substr(t.task_id, 9) END)"},
        }
        for i, table in enumerate(CLONED):
            columns = [c.name for c in db.metadata.tables[table].c]
            exprs = [overrides[table].get(c, f't."{c}"') for c in columns]
            names = ", ".join(f'"{c}"' for c in columns)
            print(f"\r  cloning {table} x{copies} ({i + 1}/{len(CLONED)})...", end=" " * 10, flush=True)
            conn.execute(text(f'INSERT INTO "{table}" ({names}) SELECT {", ".join(exprs)} FROM "{table}" t CROSS JOIN bench_copy b'))
        conn.execute(text("DROP TABLE bench_copy"))
        top_number = conn.execute(text('SELECT max(CAST(substr(number, 9) AS INTEGER)) FROM "case"')).scalar()
        conn.execute(text("UPDATE counter SET value = :v WHERE name = 'case'"), {"v": top_number})
        if pg:
            for table in ("case", "petitioner", "process_instance"):
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), (SELECT max(id) FROM \"{table}\"))"))
        db.session.commit()
        print("\r  cloned" + " " * 60)


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


# --- measuring -----------------------------------------------------------------------------------

def views(app) -> dict[str, str]:
    """The paths measured; the searched number is one of the handler's cases."""
    from app.extensions import db

    with app.app_context():
        number = db.session.execute(text(
            "SELECT c.number FROM task t JOIN \"case\" c ON c.id = t.case_id WHERE t.\"group\" = 'handler@ENV' "
            "AND t.state = 'ready' ORDER BY c.id DESC LIMIT 1")).scalar()
        db.session.remove()
    return {"inbox, default": "/inbox", "inbox, overdue": "/inbox?sla=overdue", f"inbox, q={number}": f"/inbox?q={number}",
            "inbox, page 2": "/inbox?page=2", "API tasks?scope=group": "/api/v1/tasks?scope=group"}


def sign_in(app) -> tuple[FlaskClient, dict[str, str]]:
    from app.cases.people import issue_token

    client = FreshContextClient(app, app.response_class, use_cookies=True)
    html = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    response = client.post("/login", data={"username": "handler1", "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302, response.status_code
    with app.app_context():
        bearer = issue_token("handler1")
    return client, {"Authorization": f"Bearer {bearer}"}


def measure(app, repeat: int, explain: bool) -> list[tuple[str, list[float], str]]:
    client, headers = sign_in(app)
    results = []
    for label, path in views(app).items():
        for _ in range(3):  # warm-up: caches, prepared plans
            assert client.get(path, headers=headers).status_code == 200
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            response = client.get(path, headers=headers)
            times.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200, (path, response.status_code)
        results.append((label, times, rows_shown(app, path, response)))
        if explain:
            show_plans(app, client, path, headers)
    return results


def rows_shown(app, path, response) -> str:
    """'rows on the page / total': from the API's JSON, or from the inbox service with the page's filters."""
    if response.is_json:
        body = response.get_json()
        return f"{len(body['items'])}/{body['total']:,}"
    from werkzeug.datastructures import MultiDict

    from app.cases.inbox import inbox
    from app.cases.people import principal_of
    from app.extensions import db
    from app.models import User
    from app.web.staff.inbox import _filters

    with app.app_context():
        user = principal_of(db.session.scalar(db.select(User).where(User.username == "handler1")))
        page = inbox(user, _filters(MultiDict(parse_qsl(urlsplit(path).query))))
        db.session.remove()
    return f"{len(page.rows)}/{page.total:,}"


def show_plans(app, client, path, headers) -> None:
    """The plan of every SELECT one request sends: EXPLAIN QUERY PLAN (SQLite) or EXPLAIN ANALYZE (PostgreSQL)."""
    from app.extensions import db

    seen = []
    with app.app_context():
        engine = db.engine
    listener = lambda conn, cursor, statement, params, context, many: seen.append((statement, params))  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        client.get(path, headers=headers)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    with app.app_context():
        conn = db.session.connection()
        prefix = "EXPLAIN ANALYZE " if conn.dialect.name == "postgresql" else "EXPLAIN QUERY PLAN "
        for statement, params in seen:
            if statement.lstrip().upper().startswith("SELECT") and "task" in statement:
                print(f"\n-- {path}\n{statement}")
                for row in conn.exec_driver_sql(prefix + statement, params).all():
                    print("   ", row[-1])
        db.session.remove()


def report(title: str, results) -> None:
    print(f"\n{title}\n" + "-" * 92)
    print(f"{'view':<36}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}   {'target':<14}rows (page/total)")
    for label, times, rows in results:
        p95 = statistics.quantiles(times, n=20, method="inclusive")[-1] if len(times) > 1 else times[0]
        verdict = "PASS" if p95 <= TARGET_MS else "FAIL"
        print(f"{label:<36}{statistics.median(times):>9.1f}{p95:>9.1f}{max(times):>9.1f}   "
              f"p95<={TARGET_MS:.0f} {verdict:<5}{rows}")


def run(url: str, args) -> None:
    app = build_app(url)
    print(f"== {url.split(':')[0]}: {args.cases:,} cases ({args.seed} through the services, then cloned)")
    copies = max(0, -(-args.cases // args.seed) - 1)
    t0 = time.perf_counter()
    seed(app, args.seed)
    clone(app, copies)
    spread(app)
    print(f"  seeded {args.seed * (copies + 1):,} cases in {time.perf_counter() - t0:.0f} s")
    check(app, args.seed * (copies + 1))
    results = measure(app, args.repeat, args.explain)
    report(f"Inbox with {args.seed * (copies + 1):,} open cases — {url.split(':')[0]}, "
           f"{args.repeat} requests per view (test client, server time)", results)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000, help="open cases in all (default 100000)")
    parser.add_argument("--seed", type=int, default=400, help="cases made through the services, then cloned (default 400)")
    parser.add_argument("--repeat", type=int, default=50, help="timed requests per view (default 50)")
    parser.add_argument("--explain", action="store_true", help="print the query plans of each view's SELECTs")
    parser.add_argument("--postgres", action="store_true", help="also run on a throwaway PostgreSQL (scripts/postgres.sh)")
    parser.add_argument("--database-url", help=argparse.SUPPRESS)  # set by --postgres for the inner run
    args = parser.parse_args()
    if args.database_url:
        run(args.database_url.replace("postgresql://", "postgresql+psycopg://", 1), args)
        return 0
    with tempfile.TemporaryDirectory(prefix="minyi-inbox-") as tmp:
        run(f"sqlite:///{Path(tmp) / 'inbox.sqlite3'}", args)
    if args.postgres:
        inner = [sys.executable, str(Path(__file__).resolve()), "--cases", str(args.cases), "--seed", str(args.seed),
                 "--repeat", str(args.repeat), *(["--explain"] if args.explain else []), "--database-url"]
        script = 'source scripts/postgres.sh; start_postgres; trap stop_postgres EXIT; "$@" "$PG_URL"'
        subprocess.run(["bash", "-c", script, "bash", *inner], cwd=ROOT, check=True, env=dict(os.environ))
    return 0


if __name__ == "__main__":
    sys.exit(main())
