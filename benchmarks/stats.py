"""Figures at ten years of a city (issue 22): server time of the summary, ranking, hotspots and disclosure for a
month and for a year when the rollups hold ten years of 10 M cases (and the trend: a month by day, a year by month),
and the time of a full recount.

Run from the repo root:  .venv/bin/python benchmarks/stats.py [--cases 10000000] [--years 10] [--seed 400]
                         [--recount-cases 200000] [--repeat 30] [--postgres | --database-url URL] [--explain]

1. `--seed` cases go through the services along the shipped processes' paths (scale_seed.py: most answered, rated,
   closed), are cloned with their ledger up to `--recount-cases`, and `minyi stats rebuild`'s code counts them all
   afresh: the recount's rate in cases per second, and the time it would take at `--cases` (target: <= 10 min).
2. The rollups of `--cases` cases over `--years` years: every day of those years receives its share of cases, each
   one the contribution of a seeded case (its items shifted to that day) under a department, category, channel,
   topic and area drawn for it -- written by the folder's own upsert, so the rollups have the rows ten years of a
   city leave (the figures read nothing else: the case rows are not needed for them, but for the hotspots' words,
   which read the newest 5,000 titles of the period and keep their result ten minutes).
3. Each figure is requested `--repeat` times after 3 warm-ups with a bearer token (server time, test client): p50
   and p95 per figure; PASS when p95 <= 100 ms on PostgreSQL (informative on SQLite). The first (cold) request of
   the hotspots is printed beside them. A benchmark, not a test: exits 0 unless something raises.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parent))
ROOT = Path(__file__).resolve().parent.parent
TARGET_MS = 100.0
RECOUNT_TARGET_S = 600.0
CATEGORIES = ("complaint", "consultation", "suggestion", "help", "complaint", "complaint")
CHANNELS = ("hotline", "hotline", "hotline", "web", "letter", "visit", "email", "open311")
TOPIC_NODES, AREA_NODES = 120, 80
WORKERS = os.cpu_count() or 1  # the recount's processes on PostgreSQL (`minyi stats rebuild --workers`)


def recount(app, seed: int, target: int) -> tuple[int, float]:
    """Seeded cases (with their ledger) cloned up to `target`, then counted afresh: (cases, seconds)."""
    from inbox_seed import clone

    from app.cases.reports.folding import rebuild
    from app.cli.stats import worker_app
    from app.extensions import db

    copies = max(0, target // seed - 1)
    if copies:
        offset = clone(app, copies, compact_closed=True)
        with app.app_context():
            conn = db.session.connection()
            conn.execute(text("CREATE TABLE bench_copy (k INTEGER PRIMARY KEY)"))
            conn.execute(text("INSERT INTO bench_copy (k) VALUES (:k)"), [{"k": k} for k in range(1, copies + 1)])
            conn.execute(text(f"INSERT INTO ledger_entry (case_id, at, actor, action, details) SELECT "
                              f"t.case_id + b.k * {offset}, t.at, t.actor, t.action, t.details FROM ledger_entry t "
                              f"CROSS JOIN bench_copy b WHERE t.case_id < {offset}"))
            conn.execute(text("DROP TABLE bench_copy"))
            db.session.commit()
            if db.engine.dialect.name == "postgresql":  # vacuumed and analysed, as autovacuum leaves old rows
                with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as plain:
                    plain.execute(text("VACUUM ANALYZE"))
    with app.app_context():
        started = time.perf_counter()
        counted = rebuild(workers=WORKERS if db.engine.dialect.name == "postgresql" else 1, make_app=worker_app)
        took = time.perf_counter() - started
        db.session.remove()
    return counted, took


def synthesize(app, cases: int, years: int, today: date) -> int:
    """The rollups of `cases` cases received over the `years` years before `today` (see the module's text)."""
    from app.cases.reports.folding import Delta
    from app.extensions import db
    from app.models import StatCase

    with app.app_context():
        templates = [c for c in db.session.scalars(db.select(StatCase.contribution)) if c["items"]]
        departments = [d for (d,) in db.session.execute(text("SELECT id FROM department ORDER BY id"))]
        for table in ("stat_rollup", "stat_handling", "stat_node", "stat_case", "stat_pending"):
            db.session.execute(text(f"DELETE FROM {table}"))
        db.session.commit()
        rng = random.Random(10)
        first = today - timedelta(days=365 * years)
        days = (today - first).days
        per_day, written, delta = cases / days, 0, Delta()
        weights = [1 / (i + 1) for i in range(len(departments))]  # a few departments get most cases
        for d in range(days):
            day = first + timedelta(days=d)
            received = int(per_day * (0.6 if day.weekday() >= 5 else 1.15))  # fewer at weekends
            # the day's cases in groups sharing a template and dimensions (what 10 M distinct cases leave in the
            # rollups: the same rows, the same sums)
            groups = min(received, 600)  # about every department x category x channel a day
            for g in range(groups):
                n = received // groups + (1 if g < received % groups else 0)
                if not n:
                    continue
                template = rng.choice(templates)
                delta.add(_shifted(template, day, rng.choices(departments, weights)[0], rng.choice(CATEGORIES),
                                   rng.choice(CHANNELS), rng.randint(1, TOPIC_NODES), rng.randint(1, AREA_NODES)), n)
                written += n
            if d % 30 == 29 or d == days - 1:
                delta.apply()
                db.session.commit()
                delta = Delta()
                print(f"\r  rollups: {day} ({written:,} cases)", end="", flush=True)
        print()
        db.session.remove()
    return written


def _shifted(template: dict, day: date, department: int, category: str, channel: str, topic: int, area: int) -> dict:
    base = date.fromisoformat(min(d for d, _, _ in template["items"]))
    move = day - base

    def at(d: str) -> str:
        return (date.fromisoformat(d) + move).isoformat()

    return {"dims": [department, category, channel, False],
            "items": [[at(d), figure, n] for d, figure, n in template["items"]],
            "handling": [at(template["handling"][0]), template["handling"][1]] if template["handling"] else None,
            "nodes": [["topic", topic, day.isoformat()], ["area", area, day.isoformat()]]}


def timed(app, repeat: int, today: date) -> list[tuple[str, list[float], float]]:
    from app.cases.people.tokens import issue_token

    with app.app_context():
        bearer = {"Authorization": f"Bearer {issue_token('analyst1')}"}
    client = app.test_client()
    month_end = today.replace(day=1) - timedelta(days=1)
    month = (month_end.replace(day=1), month_end)
    year = (date(today.year - 1, 1, 1), date(today.year - 1, 12, 31))
    out = []
    for label, (first, last) in (("month", month), ("year", year)):
        q = f"from={first}&to={last}"
        for name, path in (("summary", f"/api/v1/stats/summary?{q}"),
                           ("summary, one department", f"/api/v1/stats/summary?{q}&department=D01"),
                           ("ranking", f"/api/v1/stats/ranking?{q}"),
                           ("trend", f"/api/v1/stats/trend?{q}"),
                           ("hotspots", f"/api/v1/stats/hotspots?{q}"),
                           ("disclosure", f"/api/v1/public/stats?{q}")):
            def call(path=path):
                response = client.get(path, headers=bearer)
                assert response.status_code == 200, (path, response.status_code, response.get_data(as_text=True)[:300])

            t0 = time.perf_counter()
            call()
            cold = (time.perf_counter() - t0) * 1000
            for _ in range(3):
                call()
            times = []
            for _ in range(repeat):
                t0 = time.perf_counter()
                call()
                times.append((time.perf_counter() - t0) * 1000)
            out.append((f"{name}, {label}", times, cold))
    return out


def explain(app, path: str) -> None:
    """EXPLAIN ANALYZE of each statement one request runs (PostgreSQL): where a slow figure spends its time."""
    from sqlalchemy import event

    from app.cases.people.tokens import issue_token
    from app.extensions import db

    with app.app_context():
        bearer = {"Authorization": f"Bearer {issue_token('analyst1')}"}
        engine = db.engine
    seen: list[tuple[str, object]] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("SELECT") and "stat_" in statement:
            seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        app.test_client().get(path, headers=bearer)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    print(f"== EXPLAIN ANALYZE of {path}")
    with engine.connect() as conn:
        for statement, parameters in seen:
            plan = conn.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters).scalars().all()
            print("\n".join("   " + line for line in plan[:25]))
            print("   ---")


def _p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def run(url: str, args) -> None:
    from scale_seed import build_app, seed

    pg = url.startswith("postgresql")
    print(f"== {args.seed} cases through the services ({'PostgreSQL' if pg else 'SQLite'})")
    app = build_app(url)
    seed(app, args.seed)
    counted, took = recount(app, args.seed, args.recount_cases)
    rate = counted / took if took else float("inf")
    at_scale = args.cases / rate
    verdict = "PASS" if at_scale <= RECOUNT_TARGET_S else "FAIL"
    print(f"== full recount ({WORKERS if pg else 1} process(es)): {counted:,} cases in {took:.1f} s = {rate:,.0f} "
          f"cases/s; at {args.cases:,} cases "
          f"{at_scale / 60:.1f} min (target <= {RECOUNT_TARGET_S / 60:.0f} min) {verdict if pg else '(informative)'}")
    today = date.today()
    written = synthesize(app, args.cases, args.years, today)
    with app.app_context():
        from app.extensions import db

        rows = {t: db.session.execute(text(f"SELECT count(*) FROM {t}")).scalar() for t in
                ("stat_rollup", "stat_handling", "stat_node")}
        if pg:
            db.session.execute(text("ANALYZE"))
            db.session.commit()
        db.session.remove()
    print(f"== rollups of {written:,} cases over {args.years} years: " + ", ".join(f"{t} {n:,} rows" for t, n in rows.items()))
    print(f"   {'figure':34} {'p50 ms':>8} {'p95 ms':>8} {'cold ms':>8}")
    for label, times, cold in timed(app, args.repeat, today):
        p95 = _p95(times)
        mark = ("PASS" if p95 <= TARGET_MS else "FAIL") if pg else ""
        print(f"   {label:34} {statistics.median(times):8.1f} {p95:8.1f} {cold:8.1f}  {mark}")
    if args.explain and pg:
        month_end = today.replace(day=1) - timedelta(days=1)
        explain(app, f"/api/v1/stats/summary?from={month_end.replace(day=1)}&to={month_end}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000_000, help="cases in the rollups (default 10,000,000)")
    parser.add_argument("--years", type=int, default=10, help="years they were received over (default 10)")
    parser.add_argument("--seed", type=int, default=400, help="cases made through the services (default 400)")
    parser.add_argument("--recount-cases", type=int, default=200_000, help="cases counted afresh (default 200,000)")
    parser.add_argument("--repeat", type=int, default=30, help="timed requests per figure (default 30)")
    parser.add_argument("--postgres", action="store_true", help="on a throwaway PostgreSQL (scripts/postgres.sh)")
    parser.add_argument("--explain", action="store_true", help="print the plans of a month's summary (PostgreSQL)")
    parser.add_argument("--database-url", help="a database to use instead (its tables are dropped)")
    args = parser.parse_args()
    if args.database_url:
        run(args.database_url.replace("postgresql://", "postgresql+psycopg://", 1), args)
        return 0
    if args.postgres:
        inner = [sys.executable, str(Path(__file__).resolve()), "--cases", str(args.cases), "--years", str(args.years),
                 "--seed", str(args.seed), "--recount-cases", str(args.recount_cases), "--repeat", str(args.repeat),
                 *(["--explain"] if args.explain else []), "--database-url"]
        script = 'source scripts/postgres.sh; start_postgres; trap stop_postgres EXIT; "$@" "$PG_URL"'
        subprocess.run(["bash", "-c", script, "bash", *inner], cwd=ROOT, check=True, env=dict(os.environ))
        return 0
    with tempfile.TemporaryDirectory(prefix="minyi-stats-") as tmp:
        run(f"sqlite:///{Path(tmp) / 'stats.sqlite3'}", args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
