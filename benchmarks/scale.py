"""Lists that cost the same at a million cases: server time of every list a handler, supervisor, analyst or
owner uses, at 100,000 and at 1,000,000 cases (about 95 % closed), on SQLite or PostgreSQL.

Run from the repo root:  .venv/bin/python benchmarks/scale.py [--cases 100000,1000000] [--seed 400] [--repeat 30]
                         [--postgres | --database-url URL] [--full-state]

A few hundred cases go through the services along the shipped processes' paths (scale_seed.py), most of
them to the end; they are cloned with INSERT ... SELECT (inbox_seed.clone) up to the first size, measured,
cloned on to the next size, measured again. Each list is requested `--repeat` times after 3 warm-ups with a
signed-in test client (server time around the call, as inbox.py). Targets, PASS/FAIL: p95 <= 30 ms per list
at the largest size on PostgreSQL (informative on SQLite), the idle timer sweep <= 5 ms, and
p50(largest) / p50(smallest) <= 1.5 per list (the p95 ratio printed beside it). A benchmark, not a test:
exits 0 unless something raises.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from inbox import FreshContextClient  # noqa: E402 - benchmarks/ is the script's dir
from inbox_seed import clone, spread  # noqa: E402
from scale_seed import age, build_app, census, seed, tidy  # noqa: E402

LIST_MS, SWEEP_MS, RATIO = 30.0, 5.0, 1.5
CANDIDATES_MS = 50.0  # the candidate search at intake (issue 21)


def _timed(call, repeat: int) -> list[float]:
    for _ in range(3):  # warm-up: caches, prepared plans
        call()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        call()
        times.append((time.perf_counter() - t0) * 1000)
    return times


def lists(app) -> list[tuple[str, str, str]]:
    """(label, who, path): every list measured. Numbers and texts searched are taken from the data."""
    from app.extensions import db

    with app.app_context():
        number = db.session.execute(text(
            "SELECT number FROM \"case\" WHERE status NOT IN ('closed', 'rejected', 'withdrawn') ORDER BY id DESC LIMIT 1")).scalar()
        db.session.remove()
    return [
        ("inbox, group, page 1", "handler1", "/inbox"),
        ("inbox, my tasks", "handler1", "/inbox?scope=mine"),
        ("API tasks?scope=group p1", "handler1", "/api/v1/tasks?scope=group&sort=due_at"),
        ("API tasks, keyset page", "handler1", "/api/v1/tasks?scope=group&sort=due_at&after={next}"),
        ("API tasks?scope=mine", "handler1", "/api/v1/tasks?scope=mine"),
        ("console page /supervision", "super1", "/supervision"),
        ("console panel: workload", "super1", "/supervision/workload"),
        ("console panel: notices", "super1", "/supervision/notices"),
        ("console: overdue", "super1", "/api/v1/supervision/tasks?view=overdue"),
        ("console: overdue, keyset", "super1", "/api/v1/supervision/tasks?view=overdue&after={next}"),
        ("console: due today", "super1", "/api/v1/supervision/tasks?view=due_today"),
        ("console: at risk", "super1", "/api/v1/supervision/tasks?view=at_risk"),
        ("console: stalled", "super1", "/api/v1/supervision/tasks?view=stalled"),
        ("console: unassigned", "super1", "/api/v1/supervision/tasks?view=unassigned"),
        ("workload by handler", "super1", "/api/v1/supervision/workload?by=handler"),
        ("workload by department", "super1", "/api/v1/supervision/workload?by=department"),
        ("cases, newest", "analyst1", "/api/v1/cases"),
        ("cases, newest, as ENV's handler", "handler1", "/api/v1/cases"),
        ("cases?q=<text>, as ENV's handler", "handler1", "/api/v1/cases?q=幸福路7号"),
        ("cases, overdue", "analyst1", "/api/v1/cases?overdue=true"),
        ("cases, status=handling", "analyst1", "/api/v1/cases?status=handling"),
        ("case by number", "analyst1", f"/api/v1/cases/{number}"),
        ("cases?q=<number>", "analyst1", f"/api/v1/cases?q={number}"),
        ("cases?q=<text>", "analyst1", "/api/v1/cases?q=幸福路7号"),
        ("cases?q=<number part>", "analyst1", f"/api/v1/cases?q={number[-6:]}"),
        ("workbench /workbench", "owner1", "/workbench"),
        *case_list_filters(app),
    ]


def case_list_filters(app) -> list[tuple[str, str, str]]:
    """The cases list under every combination of its equality and date filters, two-character searches, the overdue
    order with a filter, and a keyset page half-way down the table."""
    import base64
    import itertools
    import json

    from app.extensions import db

    with app.app_context():
        low, high, newest = db.session.execute(text('SELECT min(id), max(id), max(received_at) FROM "case"')).one()
        db.session.remove()
    day = newest - timedelta(days=3)  # one day of receipt (about 30,000 cases), three days back
    window = (f"{day:%Y-%m-%dT00:00:00%%2B00:00}&received_to={day + timedelta(days=1):%Y-%m-%dT00:00:00%%2B00:00}")
    values = {"status": "closed", "category": "complaint", "channel": "hotline", "department": "ENV",
              "received_from": window}
    found = []
    for size in range(1, len(values) + 1):
        for chosen in itertools.combinations(values, size):
            query = "&".join(f"{k}={values[k]}" for k in chosen)
            label = "+".join(chosen).replace("received_from", "one day")
            found.append((f"cases?{label}", "analyst1", f"/api/v1/cases?{query}"))
    middle = base64.urlsafe_b64encode(json.dumps(["newest", (low + high) // 2]).encode()).decode().rstrip("=")
    found += [
        ("cases?q=<two characters: a word>", "analyst1", "/api/v1/cases?q=噪音"),
        ("cases?q=<two characters: a place>", "analyst1", "/api/v1/cases?q=和平"),
        ("cases?q=<two characters: in no title>", "analyst1", "/api/v1/cases?q=张三"),
        ("cases?q=<two characters>+status", "analyst1", "/api/v1/cases?q=噪音&status=closed"),
        ("cases?overdue+department", "analyst1", "/api/v1/cases?overdue=true&department=ENV"),
        ("cases, keyset page half-way down", "analyst1", f"/api/v1/cases?after={middle}"),
        ("cases?status, keyset page half-way down", "analyst1", f"/api/v1/cases?status=closed&after={middle}"),
    ]
    return found


CANDIDATES = [
    ("candidates: a known caller + a common text", {"title": "夜间施工噪音（幸福路8号）", "description": "工地夜间施工噪音扰民",
                                                     "petitioner": {"phone": "13812345678"}}),
    ("candidates: a new caller + a common text", {"title": "夜间施工噪音（幸福路8号）", "petitioner": {"phone": "13900000000"}}),
    ("candidates: a new caller + a rare text", {"title": "人民公园东门喷泉漏水", "petitioner": {"phone": "13900000000"}}),
]


def measure(app, repeat: int) -> dict[str, tuple[list[float], str]]:
    from app.cases.clocks.timers import fire_due_timers

    clients = {who: sign_in_as(app, who) for who in ("handler1", "super1", "analyst1", "owner1")}
    results = {}
    for label, who, path in lists(app):
        client, headers = clients[who]
        if "{next}" in path:  # the cursor page 1 handed out
            first = client.get(path.replace("&after={next}", ""), headers=headers).get_json()
            path = path.replace("{next}", first.get("next") or "")
        response = client.get(path, headers=headers)
        assert response.status_code == 200, (path, response.status_code, response.get_data(as_text=True)[:300])
        times = _timed(lambda c=client, p=path, h=headers: _ok(c.get(p, headers=h), p), repeat)
        results[label] = (times, _shown(response))

    client, headers = clients["super1"]  # who is calling and what this repeats, at intake (issue 21: <= 50 ms p95)
    path = "/api/v1/candidates"
    for label, body in CANDIDATES:
        response = client.post(path, json=body, headers=headers)
        assert response.status_code == 200, (path, response.status_code, response.get_data(as_text=True)[:300])
        times = _timed(lambda b=body: _ok(client.post(path, json=b, headers=headers), path), repeat)
        results[label] = (times, f"{len(response.get_json()['items'])} candidates")

    def sweep():
        with app.app_context():
            assert fire_due_timers() == 0, "the idle sweep fired something"

    results["idle timer sweep"] = (_timed(sweep, repeat), "-")
    return results


def sign_in_as(app, username: str):
    """A session (CSRF and cookie, as the page tests do) and a bearer token, as inbox.sign_in for handler1."""
    import re

    from inbox_seed import PASSWORD

    from app.cases.people.tokens import issue_token

    client = FreshContextClient(app, app.response_class, use_cookies=True)
    html = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    response = client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302, (username, response.status_code)
    with app.app_context():
        bearer = issue_token(username)
    return client, {"Authorization": f"Bearer {bearer}"}


def _ok(response, path):
    assert response.status_code == 200, (path, response.status_code)


def _shown(response) -> str:
    if not response.is_json:
        return "page"
    body = response.get_json()
    items = body.get("items")
    if items is None:
        return "1 case"
    total = body.get("total", len(items))
    return f"{len(items)}/{'1,000+' if total > 1000 else f'{total:,}'}"


def p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20, method="inclusive")[-1] if len(times) > 1 else times[0]


def report(title: str, results, pg: bool, final: bool) -> None:
    print(f"\n{title}\n" + "-" * 100)
    print(f"{'list':<30}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}   {'target':<20}rows (page/total)")
    for label, (times, rows) in results.items():
        limit = SWEEP_MS if label == "idle timer sweep" else CANDIDATES_MS if label.startswith("candidates") else LIST_MS
        judged = final and (pg or label == "idle timer sweep")
        verdict = ("PASS" if p95(times) <= limit else "FAIL") if judged else "(info)"
        print(f"{label:<30}{statistics.median(times):>9.1f}{p95(times):>9.1f}{max(times):>9.1f}   "
              f"p95<={limit:.0f} {verdict:<13}{rows}")


def report_ratios(small: int, large: int, by_size) -> None:
    """Judged on the medians: the 95th percentile of 30 requests is the second-slowest one, which a single
    hiccup of a shared machine moves by tens of percent; the p95 ratio is printed beside it."""
    print(f"\n{large:,} against {small:,} cases: p50 and p95 ratios (target: p50 ratio <= {RATIO})\n" + "-" * 100)
    print(f"{'list':<30}{'p50 small':>10}{'p50 large':>10}{'ratio':>8}   {'':<6}{'p95 small':>10}{'p95 large':>10}{'ratio':>8}")
    for label in by_size[large]:
        small_times, large_times = by_size[small][label][0], by_size[large][label][0]
        a, b = statistics.median(small_times), statistics.median(large_times)
        c, d = p95(small_times), p95(large_times)
        ratio, ratio95 = (b / a if a else float("inf")), (d / c if c else float("inf"))
        print(f"{label:<30}{a:>10.1f}{b:>10.1f}{ratio:>8.2f}   {'PASS' if ratio <= RATIO else 'FAIL':<6}"
              f"{c:>10.1f}{d:>10.1f}{ratio95:>8.2f}")


def run(url: str, args) -> None:
    sizes = sorted(int(n) for n in args.cases.split(","))
    dialect = url.split(":")[0].split("+")[0]
    pg = dialect == "postgresql"
    app = build_app(url)
    t0 = time.perf_counter()
    tally = seed(app, args.seed)
    print(f"  {args.seed} cases through the services in {time.perf_counter() - t0:.0f} s: "
          + ", ".join(f"{k} {v}" for k, v in sorted(tally.items())))
    offset, copies_done, by_size = None, 0, {}
    for size in sizes:
        copies = max(0, -(-size // args.seed) - 1) - copies_done
        t1 = time.perf_counter()
        if copies:
            offset = clone(app, copies, copies_done + 1, offset, compact_closed=not args.full_state)
            copies_done += copies
        spread(app)
        age(app)
        tidy(app)
        counts = census(app)
        print(f"  {size:,}: cloned and spread in {time.perf_counter() - t1:.0f} s (seeding in all: "
              f"{time.perf_counter() - t0:.0f} s); " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
        by_size[size] = measure(app, args.repeat)
        report(f"{counts['case']:,} cases ({counts['open cases']:,} open) — {dialect}, {args.repeat} requests per list "
               "(test client, server time)", by_size[size], pg, size == sizes[-1])
    if len(sizes) > 1:
        report_ratios(sizes[0], sizes[-1], by_size)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", default="100000,1000000", help="sizes measured, comma-separated (default 100000,1000000)")
    parser.add_argument("--seed", type=int, default=400, help="cases made through the services, then cloned (default 400)")
    parser.add_argument("--repeat", type=int, default=30, help="timed requests per list (default 30)")
    parser.add_argument("--postgres", action="store_true", help="on a throwaway PostgreSQL (scripts/postgres.sh) instead of SQLite")
    parser.add_argument("--database-url", help="a database to use instead (its tables are dropped): PostgreSQL or "
                                               "sqlite:///path, which is kept afterwards")
    parser.add_argument("--full-state", action="store_true",
                        help="clone finished instances' full state too (default: a stub; no list loads it)")
    args = parser.parse_args()
    if args.database_url:
        run(args.database_url.replace("postgresql://", "postgresql+psycopg://", 1), args)
        return 0
    if args.postgres:
        inner = [sys.executable, str(Path(__file__).resolve()), "--cases", args.cases, "--seed", str(args.seed),
                 "--repeat", str(args.repeat), *(["--full-state"] if args.full_state else []), "--database-url"]
        script = 'source scripts/postgres.sh; start_postgres; trap stop_postgres EXIT; "$@" "$PG_URL"'
        subprocess.run(["bash", "-c", script, "bash", *inner], cwd=ROOT, check=True, env=dict(os.environ))
        return 0
    with tempfile.TemporaryDirectory(prefix="minyi-scale-") as tmp:
        run(f"sqlite:///{Path(tmp) / 'scale.sqlite3'}", args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
