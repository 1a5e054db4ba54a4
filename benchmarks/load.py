"""Load on `minyi serve`: N concurrent clients against 1 web worker and against W workers, in one run.

Each client, over its own keep-alive connection, registers a complaint (POST /api/v1/cases) and
completes its triage (POST /api/v1/tasks/{id}/complete), again and again for --seconds. Reported per
server layout: operations per second, p50 / p99 latency, errors; and the ratio of W workers to one.
Target (issue 12): with 2 workers on 2 cores at least 2 × one worker's throughput, 0 errors.

    source scripts/postgres.sh && start_postgres
    .venv/bin/python benchmarks/load.py --database-url "$PG_URL" --clients 8 --seconds 20
    stop_postgres

With no --database-url it runs on a SQLite file in a temp dir (the embedded default).
The clients run on the same machine as the server, so they take CPU from it: compare layouts
within one run, not with another machine.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MINYI = [sys.executable, "-c", "import sys; sys.argv[0] = 'minyi'; from app.cli import main; main()"]
COMPLAINT = {"category": "complaint", "channel": "hotline", "title": "夜间施工噪音", "description": "工地每晚22点后仍在施工。",
             "petitioner": {"name": "张三", "phone": "13812345678", "address": "幸福路1号"}}
TRIAGE = {"triage_decision": "accept", "department": "ENV"}


def minyi(env: dict, *args: str) -> str:
    done = subprocess.run([*MINYI, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        sys.exit(f"minyi {' '.join(args)} failed:\n{done.stderr}")
    return done.stdout


def prepare(env: dict) -> str:
    """An empty database with the complaint process, department ENV and a clerk who may do triage; the clerk's token."""
    url = env["DATABASE_URL"]
    if url.startswith("postgresql"):
        import psycopg

        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("DROP SCHEMA public CASCADE")
            conn.execute("CREATE SCHEMA public")
    minyi(env, "db", "upgrade")
    minyi(env, "departments", "create", "ENV", "生态环境科")
    minyi(env, "processes", "deploy", str(ROOT / "processes" / "complaint.bpmn"))
    minyi(env, "processes", "bind", "complaint", "complaint")
    minyi(env, "users", "create", "clerk", "--role", "intake")
    return minyi(env, "users", "token", "clerk").strip().splitlines()[-1]


class Client(threading.Thread):
    """One user agent: intake, then complete its triage, on one keep-alive connection, until told to stop."""

    def __init__(self, port: int, token: str, stop: threading.Event):
        super().__init__(daemon=True)
        self.port, self.stop = port, stop
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        self.latencies: list[float] = []
        self.errors: list[str] = []
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def call(self, path: str, body: dict) -> dict | None:
        started = time.perf_counter()
        try:
            self.conn.request("POST", path, body=json.dumps(body), headers=self.headers)
            response = self.conn.getresponse()
            payload = response.read()
        except (OSError, http.client.HTTPException) as exc:
            self.errors.append(f"{path}: {exc}")
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            return None
        if response.status not in (200, 201):
            self.errors.append(f"{path}: HTTP {response.status} {payload[:200]!r}")
            return None
        self.latencies.append(time.perf_counter() - started)
        return json.loads(payload)

    def run(self) -> None:
        while not self.stop.is_set():
            case = self.call("/api/v1/cases", COMPLAINT)
            tasks = (case or {}).get("open_tasks") or []
            if tasks and not self.stop.is_set():
                self.call(f"/api/v1/tasks/{tasks[0]['id']}/complete", TRIAGE)
        self.conn.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def measure(env: dict, token: str, workers: int, clients: int, seconds: float, warmup: float,
            postmaster: int | None) -> dict:
    port = free_port()
    log = tempfile.TemporaryFile()
    server = subprocess.Popen([*MINYI, "serve", "--port", str(port), "--workers", str(workers), "--no-scheduler"],
                              env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for(f"http://127.0.0.1:{port}/login")
        for phase_seconds in (warmup, seconds):
            stop = threading.Event()
            pool = [Client(port, token, stop) for _ in range(clients)]
            cpu_before = cpu_by_party(server.pid, postmaster)
            started = time.perf_counter()
            for client in pool:
                client.start()
            time.sleep(phase_seconds)
            stop.set()
            for client in pool:
                client.join(timeout=120)
            elapsed = time.perf_counter() - started
            cpu = {k: v - cpu_before[k] for k, v in cpu_by_party(server.pid, postmaster).items()}
        latencies = sorted(t for c in pool for t in c.latencies)
        errors = [e for c in pool for e in c.errors]
        return {"workers": workers, "ops": len(latencies), "per_second": len(latencies) / elapsed, "errors": errors,
                "p50": _quantile(latencies, 0.50), "p99": _quantile(latencies, 0.99),
                "cores": {k: v / elapsed for k, v in cpu.items()}, "web_ms_per_op": cpu["web"] * 1000 / max(1, len(latencies))}
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
        log.close()


def cpu_by_party(server_pid: int, postmaster: int | None) -> dict[str, float]:
    """CPU seconds used so far by the web server and by PostgreSQL (each a process tree) and by this process (the
    clients), from /proc (Linux): where the machine's cores went."""
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    stats = {}
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            raw = (entry / "stat").read_text()
        except OSError:
            continue
        comm = raw[raw.index("(") + 1:raw.rindex(")")]
        fields = raw[raw.rindex(")") + 2:].split()
        stats[int(entry.name)] = (comm, int(fields[1]), (int(fields[11]) + int(fields[12])) / tick)  # ppid, utime+stime

    def tree_cpu(root: int | None) -> float:
        tree, grew = ({root} if root else set()), True
        while grew:
            grown = tree | {pid for pid, (_c, ppid, _t) in stats.items() if ppid in tree}
            grew, tree = grown != tree, grown
        return sum(stats[p][2] for p in tree if p in stats)

    own = os.times()
    return {"web": tree_cpu(server_pid), "postgres": tree_cpu(postmaster), "clients": own.user + own.system}


def postmaster_of(url: str) -> int | None:
    """The PostgreSQL server process behind `url` (the parent of a backend), if it runs on this machine."""
    if not url.startswith("postgresql"):
        return None
    import psycopg

    with psycopg.connect(url) as conn:
        backend = conn.execute("SELECT pg_backend_pid()").fetchone()[0]
    try:
        raw = Path(f"/proc/{backend}/stat").read_text()
    except OSError:
        return None  # elsewhere: its CPU is not counted
    return int(raw[raw.rindex(")") + 2:].split()[1])


def _quantile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(q * 100) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("MINYI_BENCH_DATABASE_URL"))
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--warmup", type=float, default=3)
    parser.add_argument("--workers", type=int, default=2, help="the multi-worker layout compared with one worker")
    parser.add_argument("--rounds", type=int, default=2, help="alternate 1 and W workers this many times")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as workdir:
        url = args.database_url or f"sqlite:///{Path(workdir) / 'load.sqlite3'}"
        env = {**os.environ, "DATABASE_URL": url, "FLASK_APP": "app", "MINYI_ATTACHMENTS_DIR": str(Path(workdir) / "files")}
        token = prepare(env)
        postmaster = postmaster_of(url)
        database = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
        print(f"{database}, {args.clients} clients, {args.seconds:g} s per layout, {os.cpu_count()} cores; "
              "each operation is one intake or one completion")
        results: dict[int, list[dict]] = {1: [], args.workers: []}
        for round_no in range(args.rounds):
            order = (1, args.workers) if round_no % 2 == 0 else (args.workers, 1)
            for workers in order:
                result = measure(env, token, workers, args.clients, args.seconds, args.warmup, postmaster)
                results[workers].append(result)
                cores = result["cores"]
                print(f"  round {round_no + 1}: {workers} worker(s): {result['per_second']:7.1f} ops/s  "
                      f"p50 {result['p50'] * 1000:6.1f} ms  p99 {result['p99'] * 1000:6.1f} ms  "
                      f"errors {len(result['errors'])}  cores busy: web {cores['web']:.2f}, "
                      f"PostgreSQL {cores['postgres']:.2f}, clients {cores['clients']:.2f}; "
                      f"web CPU {result['web_ms_per_op']:.1f} ms/op")
                for error in result["errors"][:5]:
                    print(f"      {error}")
        one = statistics.median(r["per_second"] for r in results[1])
        many = statistics.median(r["per_second"] for r in results[args.workers])
        errors = sum(len(r["errors"]) for rs in results.values() for r in rs)
        ratio = many / one if one else float("nan")
        per_op = {w: statistics.median(r["web_ms_per_op"] for r in rs) for w, rs in results.items()}
        print(f"web CPU per operation: 1 worker {per_op[1]:.1f} ms, {args.workers} workers {per_op[args.workers]:.1f} ms "
              "(equal: the workers do not slow each other; the ratio is then bounded by the cores left free)")
        print(f"median: 1 worker {one:.1f} ops/s, {args.workers} workers {many:.1f} ops/s; "
              f"ratio {ratio:.2f} (target ≥ 2.0: {'PASS' if ratio >= 2.0 else 'FAIL'}); "
              f"errors {errors} (target 0: {'PASS' if errors == 0 else 'FAIL'})")


if __name__ == "__main__":
    main()
