"""The cases list at ten million cases: a database that benchmarks/scale.py left at 1,000,000 cases (run it with
--database-url) gets its case table alone cloned on to the size asked for, and every list of the cases list is
measured before and after (the other tables, ~9 KB a case, do not fit a test machine's disk at ten million).

Run from the repo root:  .venv/bin/python benchmarks/scale_cases.py --database-url postgresql://…/minyi_scale
                         [--to 10000000] [--repeat 30]

The copies are older cases, as ten years of a city's are: each copy is received one month earlier than the one
before it and is closed. Target: p50(large) / p50(1M) <= 1.5 per list, p95 <= 30 ms. A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from sqlalchemy import inspect, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scale import LIST_MS, RATIO, _ok, _shown, _timed, case_list_filters, p95, sign_in_as  # noqa: E402

MONTH_DAYS = 34  # a million cases at ~30,000 a day


def case_lists(app) -> list[tuple[str, str, str]]:
    return [("cases, newest", "analyst1", "/api/v1/cases"), ("cases, newest, as ENV's handler", "handler1", "/api/v1/cases"),
            ("cases, overdue", "analyst1", "/api/v1/cases?overdue=true"),
            ("cases?q=<text>", "analyst1", "/api/v1/cases?q=幸福路7号"),
            ("cases?q=<text>, as ENV's handler", "handler1", "/api/v1/cases?q=幸福路7号"),
            *case_list_filters(app)]


def measure(app, repeat: int) -> dict:
    clients = {who: sign_in_as(app, who) for who in ("handler1", "analyst1")}
    results = {}
    for label, who, path in case_lists(app):
        client, headers = clients[who]
        response = client.get(path, headers=headers)
        assert response.status_code == 200, (path, response.status_code)
        results[label] = (_timed(lambda c=client, p=path, h=headers: _ok(c.get(p, headers=h), p), repeat), _shown(response))
    return results


def bring_up_to_date(app) -> None:
    """A bench database made by an older checkout: the columns added since (not used by these lists) are added."""
    from app.extensions import db

    with app.app_context():
        db.create_all()  # tables added since
        inspector = inspect(db.engine)
        with db.engine.begin() as conn:
            for table in db.metadata.sorted_tables:
                have = {c["name"] for c in inspector.get_columns(table.name)}
                for column in table.columns:
                    if column.name not in have:
                        kind = column.type.compile(dialect=db.engine.dialect)
                        default = " DEFAULT false" if kind == "BOOLEAN" else " DEFAULT ''" if "VARCHAR" in kind else ""
                        null = "" if column.nullable or not default else " NOT NULL"
                        conn.execute(text(f'ALTER TABLE "{table.name}" ADD COLUMN "{column.name}" {kind}{default}{null}'))
                        print(f"  added {table.name}.{column.name} ({kind})")


def clone_cases(app, target: int) -> int:
    from app.extensions import db

    with app.app_context():
        conn = db.session.connection()
        count, top = conn.execute(text('SELECT count(*), max(id) FROM "case"')).one()
        copies = -(-target // count) - 1
        offset = 10 ** len(str(top))
        columns = [c.name for c in db.metadata.tables["case"].columns]
        overrides = {
            "id": "(t.id + b.k * :offset)",
            "number": "('1' || lpad(CAST(t.id + b.k * :offset AS TEXT), 13, '0'))",
            "number_reversed": "(reverse(lpad(CAST(t.id + b.k * :offset AS TEXT), 13, '0')) || '1')",
            "status": "'closed'",
            "received_at": f"(t.received_at - b.k * interval '{MONTH_DAYS} days')",
            "closed_at": f"(t.received_at - b.k * interval '{MONTH_DAYS} days' + interval '20 days')",
            "due_at": "NULL", "last_activity_at": f"(t.received_at - b.k * interval '{MONTH_DAYS} days' + interval '20 days')",
        }
        select_list = ", ".join(overrides.get(c, f't."{c}"') for c in columns)
        names = ", ".join(f'"{c}"' for c in columns)
        db.session.commit()
        for k in range(1, copies + 1):
            t0 = time.perf_counter()
            with db.engine.begin() as c:
                c.execute(text(f'INSERT INTO "case" ({names}) SELECT {select_list} FROM "case" t, '
                               f'(SELECT {k} AS k) b WHERE t.id < :offset'), {"offset": offset})
            print(f"\r  copy {k}/{copies}: {time.perf_counter() - t0:.0f} s", end="", flush=True)
        print()
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
            c.execute(text('VACUUM ANALYZE "case"'))
            return c.execute(text('SELECT count(*) FROM "case"')).scalar()


def report(by_size: dict, small: int, large: int) -> None:
    print(f"\n{large:,} against {small:,} cases (case table only cloned): p50/p95 ms and p50 ratio (target <= {RATIO}, "
          f"p95 <= {LIST_MS:.0f} ms)\n" + "-" * 110)
    for label in by_size[large]:
        a, b = by_size[small][label][0], by_size[large][label][0]
        ratio = statistics.median(b) / statistics.median(a)
        print(f"{label:<52}{statistics.median(a):>7.1f}{p95(a):>7.1f}  ->{statistics.median(b):>7.1f}{p95(b):>7.1f}"
              f"{ratio:>7.2f} {'PASS' if ratio <= RATIO and p95(b) <= LIST_MS else 'FAIL'}  {by_size[large][label][1]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True, help="a PostgreSQL database benchmarks/scale.py left at 1M")
    parser.add_argument("--to", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    from app import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": args.database_url.replace("postgresql://", "postgresql+psycopg://", 1)})
    bring_up_to_date(app)
    with app.app_context():
        from app.extensions import db

        small = db.session.execute(text('SELECT count(*) FROM "case"')).scalar()
        db.session.remove()
    by_size = {small: measure(app, args.repeat)}
    t0 = time.perf_counter()
    large = clone_cases(app, args.to)
    print(f"  cloned to {large:,} cases in {time.perf_counter() - t0:.0f} s")
    by_size[large] = measure(app, args.repeat)
    report(by_size, small, large)
    return 0


if __name__ == "__main__":
    sys.exit(main())
