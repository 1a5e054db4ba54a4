"""Minyi against the naive app: the same BPMN, both over HTTP (Flask test client), both on SQLite.

Run from the repo root:  .venv/bin/python benchmarks/bench.py [--n 300] [--warmup 20] [--rounds 5]

The naive app (benchmarks/naive_app.py) is what a team would build without Minyi: stock
SpiffWorkflow, spec and state in one row per instance. Both sides run in the same process, in
rounds of N/rounds operations, A/B then B/A in turn, so machine noise hits both alike; each figure
is the median over rounds and each ratio the median of the per-round (paired) ratios. Prints
intakes/completions per second for both, the ratios Minyi/naive and SQL statements per operation,
each against its target (PASS/FAIL), plus an informational engine-only line (no web, no database).
Exits 0 unless something raises: it is a benchmark, not a test.
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import gc
import pstats
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.spiff.parser import SpiffBpmnParser
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import event

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from naive_app import BPMN, create_naive_app, script_helpers  # noqa: E402 - benchmarks/ is the script's dir

PROCESS_ID = "complaint"
HUMAN_TASK = "triage"  # the one task name the bench relies on (the first user task)
TRIAGE = {"triage_decision": "accept", "department": "ENV"}
COMPLAINT = {
    "category": "complaint",
    "channel": "hotline",
    "title": "夜间施工噪音",
    "description": "工地每晚22点后仍在施工。",
    "petitioner": {"name": "张三", "phone": "13812345678", "address": "幸福路1号"},
}
MIN_RATIO = 1.0
MAX_STATEMENTS_PER_COMPLETION = 12
TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "PRAGMA")


def rate(n: int, seconds: float) -> float:
    """Operations per second."""
    return n / seconds if seconds > 0 else float("inf")


def start_data(number: str) -> dict:
    """What Minyi's intake hands its process (app/cases/intake/registration.py), for a case registered now."""
    return {
        "case_number": number,
        "category": COMPLAINT["category"],
        "channel": COMPLAINT["channel"],
        "received_at": datetime.now(UTC).isoformat(),
        "department": None,
        "major": False,
        "rehandled": False,
    }


def expect(response, status: int):
    """The response's JSON; AssertionError (with the body) unless the status is `status`."""
    if response.status_code != status:
        raise AssertionError(f"{response.request.method} {response.request.path}: "
                             f"{response.status_code} != {status}: {response.get_data(as_text=True)[:500]}")
    return response.get_json()


class Timed:
    """Per phase: the rate of each round (wall clock and CPU time) and the SQL statements summed."""

    def __init__(self):
        self.ops = {"intake": 0, "completion": 0}
        self.statements = {"intake": 0, "completion": 0}
        self.rates: dict[str, list[float]] = {"intake": [], "completion": []}
        self.cpu_rates: dict[str, list[float]] = {"intake": [], "completion": []}

    def record(self, phase: str, n: int, seconds: float, cpu_seconds: float, statements: int) -> None:
        self.ops[phase] += n
        self.statements[phase] += statements
        self.rates[phase].append(rate(n, seconds))
        self.cpu_rates[phase].append(rate(n, cpu_seconds))

    def per_op(self, phase: str) -> float:
        return self.statements[phase] / self.ops[phase] if self.ops[phase] else float("nan")


class Side:
    """One app under test: counts the SQL statements it sends while measuring."""

    name = ""

    def __init__(self):
        self.timed, self.count, self.counting = Timed(), 0, False

    def seen(self, *_args, **_kwargs) -> None:
        if self.counting:
            self.count += 1

    def measure(self, phase: str, n: int, fn):
        """Run fn() (n operations) timed and with counting on, record it under `phase`; returns its result.

        A full garbage collection first, so neither side pays for the other's garbage."""
        gc.collect()
        self.count, self.counting = 0, True
        t0, c0 = time.perf_counter(), time.process_time()
        try:
            result = fn()
        finally:
            self.counting = False
        self.timed.record(phase, n, time.perf_counter() - t0, time.process_time() - c0, self.count)
        return result


# --- (a) the naive app over HTTP -----------------------------------------------------------

class NaiveSide(Side):
    """benchmarks/naive_app.py through its Flask test client."""

    name = "naive"

    def __init__(self, workdir: Path):
        super().__init__()
        self.app = create_naive_app(workdir / "naive.sqlite3", BPMN, PROCESS_ID)
        self.client = self.app.test_client()
        self.serial = 0
        # The test client runs requests in this thread, so this is the connection the app uses.
        self.app.naive_connection().set_trace_callback(self._traced)

    def _traced(self, statement: str) -> None:
        if not statement.lstrip().upper().startswith(TRANSACTION_CONTROL):
            self.seen()

    def intake(self, n: int) -> list[str]:
        """N starts over HTTP; returns the paths completing each instance's triage task."""
        paths = []
        for _ in range(n):
            self.serial += 1
            body = expect(self.client.post("/instances", json=start_data(f"N{self.serial:09d}")), 201)
            (task_id,) = [t["id"] for t in body["tasks"] if t["name"] == HUMAN_TASK]
            paths.append(f"/instances/{body['id']}/tasks/{task_id}/complete")
        return paths

    def prepare(self, handles: list[str]) -> list[str]:
        return handles  # the start answered with the task ids

    def complete(self, paths: list[str]) -> None:
        """Complete each triage task over HTTP (accept, route to ENV)."""
        for path in paths:
            expect(self.client.post(path, json=TRIAGE), 200)


# --- (b) Minyi over HTTP -------------------------------------------------------------------

def minyi_app(workdir: Path):
    """The app on a fresh SQLite file, with reference data, ENV staff and the complaint process."""
    from app import create_app
    from app.cases.bootstrap import ensure_reference_data
    from app.cases.people.departments import create_department
    from app.cases.people.tokens import issue_token
    from app.cases.people.users import create_user
    from app.cases.procedures.processes import deploy_bpmn
    from app.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{workdir / 'bench.sqlite3'}"})
    with app.app_context():
        db.create_all()
        ensure_reference_data()
        create_department("ENV", "生态环境科")
        create_user("intake1", ["intake"])
        create_user("handler1", ["handler"], "ENV")
        token = issue_token("intake1")
        deploy_bpmn(BPMN.read_bytes(), BPMN.name, "bench")
        db.session.remove()
    return app, {"Authorization": f"Bearer {token}"}


class MinyiSide(Side):
    """Minyi through its Flask test client: POST /api/v1/cases, POST /api/v1/tasks/{id}/complete."""

    name = "Minyi"

    def __init__(self, workdir: Path):
        from app.extensions import db

        super().__init__()
        self.app, self.headers = minyi_app(workdir)
        self.client = self.app.test_client()
        with self.app.app_context():
            event.listen(db.engine, "before_cursor_execute", self.seen)

    def intake(self, n: int) -> list[str]:
        """N intakes over HTTP; returns the case numbers."""
        return [expect(self.client.post("/api/v1/cases", json=COMPLAINT, headers=self.headers), 201)["number"]
                for _ in range(n)]

    def prepare(self, numbers: list[str]) -> list[str]:
        """The ids of these cases' open triage tasks, from the group inbox (untimed)."""
        found, page = {}, 1
        while True:
            body = expect(self.client.get(f"/api/v1/tasks?scope=group&per_page=200&page={page}", headers=self.headers), 200)
            found.update({t["case_number"]: t["id"] for t in body["items"] if t["name"] == HUMAN_TASK})
            if not body["items"] or page * 200 >= body["total"]:
                return [found[number] for number in numbers]
            page += 1

    def complete(self, task_ids: list[str]) -> None:
        """Complete each triage task over HTTP (accept, route to ENV)."""
        for task_id in task_ids:
            expect(self.client.post(f"/api/v1/tasks/{task_id}/complete", json=TRIAGE, headers=self.headers), 200)


# --- (c) engine only, for information ------------------------------------------------------

class EngineOnly:
    """Bare SpiffWorkflow, no web and no database: instances kept as serialized JSON in a dict."""

    def __init__(self):
        parser = SpiffBpmnParser()
        parser.add_bpmn_file(str(BPMN))
        self.spec = parser.get_spec(PROCESS_ID)
        self.subprocess_specs = parser.get_subprocess_specs(PROCESS_ID)
        self.serializer = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(SPIFF_CONFIG))
        self.script_engine = PythonScriptEngine(environment=TaskDataEnvironment(script_helpers()))
        self.store: dict[int, str] = {}
        self.rates: dict[str, list[float]] = {"intake": [], "completion": []}

    def start(self, n: int) -> list[int]:
        keys = []
        for _ in range(n):
            wf = BpmnWorkflow(self.spec, self.subprocess_specs, script_engine=self.script_engine)
            wf.get_tasks(state=TaskState.READY)[0].set_data(**start_data(f"E{len(self.store):09d}"))
            wf.do_engine_steps()
            key = len(self.store)
            self.store[key] = self.serializer.serialize_json(wf)
            keys.append(key)
        return keys

    def complete(self, keys: list[int]) -> None:
        for key in keys:
            wf = self.serializer.deserialize_json(self.store[key])
            wf.script_engine = self.script_engine
            (task,) = [t for t in wf.get_tasks(state=TaskState.READY, manual=True) if t.task_spec.name == HUMAN_TASK]
            task.set_data(**TRIAGE)
            task.run()
            wf.do_engine_steps()
            self.store[key] = self.serializer.serialize_json(wf)

    def round(self, n: int) -> None:
        t0 = time.perf_counter()
        keys = self.start(n)
        t1 = time.perf_counter()
        self.complete(keys)
        t2 = time.perf_counter()
        self.rates["intake"].append(rate(n, t1 - t0))
        self.rates["completion"].append(rate(n, t2 - t1))


# --- the run -------------------------------------------------------------------------------

def round_sizes(n: int, rounds: int) -> list[int]:
    """N split into `rounds` near-equal parts."""
    rounds = max(1, min(rounds, n))
    return [n // rounds + (1 if i < n % rounds else 0) for i in range(rounds)]


def run(naive: NaiveSide, minyi: MinyiSide, engine_only: EngineOnly, n: int, warmup: int, rounds: int,
        profiler: cProfile.Profile | None) -> None:
    """Warm up every side, then the timed rounds: naive/Minyi in round 1, Minyi/naive in round 2, ..."""
    for side in (naive, minyi):
        side.complete(side.prepare(side.intake(warmup)))
    engine_only.complete(engine_only.start(warmup))
    for i, k in enumerate(round_sizes(n, rounds)):
        order = (naive, minyi) if i % 2 == 0 else (minyi, naive)
        handles = {}
        for side in order:
            handles[side.name] = side.measure("intake", k, functools.partial(side.intake, k))
        ready = {side.name: side.prepare(handles[side.name]) for side in order}
        for side in order:
            fn = functools.partial(side.complete, ready[side.name])
            if profiler is not None and side is minyi:
                fn = functools.partial(profiler.runcall, fn)
            side.measure("completion", k, fn)
        engine_only.round(k)


# --- report --------------------------------------------------------------------------------

def report(n: int, rounds: int, naive: NaiveSide, minyi: MinyiSide, engine_only: EngineOnly) -> None:
    """The figures, the ratios and the targets, one line each."""
    def verdict(ok: bool) -> str:
        return "PASS" if ok else "FAIL"

    def median(values: list[float]) -> float:
        return statistics.median(values)

    def ratios(phase: str, cpu: bool = False) -> list[float]:
        mine, theirs = (minyi.timed.cpu_rates, naive.timed.cpu_rates) if cpu else (minyi.timed.rates, naive.timed.rates)
        return [m / b for m, b in zip(mine[phase], theirs[phase], strict=True)]

    def line(label: str, value: str, rest: str = "") -> None:
        print(f"{label:<44}{value:>10}{rest}")

    sizes = round_sizes(n, rounds)
    print(f"\nMinyi vs the naive app — SQLite, HTTP (Flask test client), N={n} in {len(sizes)} rounds "
          f"({'/'.join(map(str, sizes))}), A/B order alternating\n" + "-" * 78)
    print("rates: median of rounds; ratios: median of per-round Minyi/naive ratios")
    line("naive intakes/s", f"{median(naive.timed.rates['intake']):.1f}")
    line("Minyi intakes/s", f"{median(minyi.timed.rates['intake']):.1f}")
    line("naive completions/s", f"{median(naive.timed.rates['completion']):.1f}")
    line("Minyi completions/s", f"{median(minyi.timed.rates['completion']):.1f}")
    line("SQL statements per intake (Minyi)", f"{minyi.timed.per_op('intake'):.1f}",
         f"   naive: {naive.timed.per_op('intake'):.1f}")
    print("-" * 78)
    for phase in ("intake", "completion"):
        each = ratios(phase)
        ratio = median(each)
        line(f"{phase} ratio (Minyi/naive)", f"{ratio:.2f}",
             f"   target >= {MIN_RATIO}  {verdict(ratio >= MIN_RATIO)}   rounds: {', '.join(f'{r:.2f}' for r in each)}")
    spc = minyi.timed.per_op("completion")
    line("SQL statements per completion (Minyi)", f"{spc:.1f}",
         f"   target <= {MAX_STATEMENTS_PER_COMPLETION}   {verdict(spc <= MAX_STATEMENTS_PER_COMPLETION)}"
         f"   naive: {naive.timed.per_op('completion'):.1f}")
    for phase in ("intake", "completion"):
        line(f"  {phase} ratio in CPU time (information)", f"{median(ratios(phase, cpu=True)):.2f}",
             "   process CPU time: less moved by other load, blind to fsync waits")
    print("-" * 78)
    print("engine only, no web, no database (information, not a target):")
    line("  starts/s", f"{median(engine_only.rates['intake']):.1f}")
    line("  completions/s", f"{median(engine_only.rates['completion']):.1f}")
    print("(SQL statements: those the app sends; BEGIN/COMMIT/ROLLBACK and PRAGMAs not counted on either side)")


def main() -> int:
    """Parse options, run both apps in rounds in one temp dir, print the report; 0 unless raising."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=300, help="timed operations per figure and side (default 300)")
    parser.add_argument("--warmup", type=int, default=20, help="untimed operations first, per side (default 20)")
    parser.add_argument("--rounds", type=int, default=5, help="A/B rounds the N operations are split into (default 5)")
    parser.add_argument("--profile", action="store_true",
                        help="cProfile Minyi completions, top 25 (slower: the ratios then mean nothing)")
    args = parser.parse_args()
    profiler = cProfile.Profile() if args.profile else None
    with tempfile.TemporaryDirectory(prefix="minyi-bench-") as tmp:
        naive, minyi, engine_only = NaiveSide(Path(tmp)), MinyiSide(Path(tmp)), EngineOnly()
        run(naive, minyi, engine_only, args.n, args.warmup, args.rounds, profiler)
    if profiler is not None:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    report(args.n, args.rounds, naive, minyi, engine_only)
    return 0


if __name__ == "__main__":
    sys.exit(main())
