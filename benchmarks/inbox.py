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
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from flask.testing import FlaskClient
from sqlalchemy import event, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from inbox_seed import PASSWORD, build_app, check, clone, seed, spread  # noqa: E402 - benchmarks/ is the script's dir

TARGET_MS = 100.0


class FreshContextClient(FlaskClient):
    """Each request in its own app context, as in a server (as tests/web/test_staff_page_rules.py does)."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


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
    from app.cases.people.tokens import issue_token

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

    from app.cases.lists.inbox import inbox
    from app.cases.people.users import principal_of
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
