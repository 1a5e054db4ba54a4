"""Minyi against its floor: bare SpiffWorkflow + one SQLite row per instance.

Run from the repo root:  .venv/bin/python benchmarks/bench.py [--n 300] [--warmup 20]

Prints starts/completions per second for the floor, intakes/completions per second for Minyi
over HTTP (Flask test client, SQLite), the ratios, and SQL statements per operation, each
against its target (PASS/FAIL). Exits 0 unless something raises: it is a benchmark, not a test.
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import pstats
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.spiff.parser import SpiffBpmnParser
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import event

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.calendar import WorkCalendar  # noqa: E402 - after the path is set
from app.calendar.helpers import deadline_helpers  # noqa: E402

BPMN = ROOT / "processes" / "complaint.bpmn"
START_DATA = {"rehandled": False, "major": False, "category": "complaint", "channel": "hotline"}
TRIAGE = {"triage_decision": "accept", "department": "ENV"}
COMPLAINT = {
    "category": "complaint",
    "channel": "hotline",
    "title": "夜间施工噪音",
    "description": "工地每晚22点后仍在施工。",
    "petitioner": {"name": "张三", "phone": "13812345678", "address": "幸福路1号"},
}
MIN_RATIO = 0.5
MAX_STATEMENTS_PER_COMPLETION = 12


def rate(n: int, seconds: float) -> float:
    """Operations per second."""
    return n / seconds if seconds > 0 else float("inf")


# --- (a) the floor -------------------------------------------------------------------------

class Floor:
    """Bare SpiffWorkflow: one parsed spec, each instance's JSON in one SQLite row, a commit per op."""

    def __init__(self, workdir: Path):
        parser = SpiffBpmnParser()
        parser.add_bpmn_file(str(BPMN))
        self.spec = parser.get_spec("complaint")
        self.subprocess_specs = parser.get_subprocess_specs("complaint")
        self.serializer = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(SPIFF_CONFIG))
        # The stock script engine, given the deadline functions the BPMN calls (no database: official calendar).
        helpers = deadline_helpers(WorkCalendar, lambda: ZoneInfo("Asia/Shanghai"), lambda: datetime.now(UTC))
        self.script_engine = PythonScriptEngine(environment=TaskDataEnvironment(helpers))
        self.db = sqlite3.connect(workdir / "floor.sqlite3")
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.execute("CREATE TABLE instance (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
        self.db.commit()

    def start(self) -> int:
        """Start one instance to its first user task and store it; returns the row id."""
        wf = BpmnWorkflow(self.spec, self.subprocess_specs, script_engine=self.script_engine)
        wf.get_tasks(state=TaskState.READY)[0].set_data(**START_DATA, received_at=datetime.now(UTC).isoformat())
        wf.do_engine_steps()
        cur = self.db.execute("INSERT INTO instance (body) VALUES (?)", (self.serializer.serialize_json(wf),))
        self.db.commit()
        return cur.lastrowid

    def complete_triage(self, row_id: int) -> None:
        """Load the row, complete the ready 'triage' user task, run on, store it back."""
        (body,) = self.db.execute("SELECT body FROM instance WHERE id = ?", (row_id,)).fetchone()
        wf = self.serializer.deserialize_json(body)
        wf.script_engine = self.script_engine
        (task,) = [t for t in wf.get_tasks(state=TaskState.READY) if t.task_spec.name == "triage"]
        task.set_data(**TRIAGE)
        task.run()
        wf.do_engine_steps()
        self.db.execute("UPDATE instance SET body = ? WHERE id = ?", (self.serializer.serialize_json(wf), row_id))
        self.db.commit()


def bench_floor(workdir: Path, n: int, warmup: int) -> dict[str, float]:
    """Floor starts/s and completions/s (warm-up instances started and completed, not counted)."""
    floor = Floor(workdir)
    for row_id in [floor.start() for _ in range(warmup)]:
        floor.complete_triage(row_id)
    t0 = time.perf_counter()
    ids = [floor.start() for _ in range(n)]
    t1 = time.perf_counter()
    for row_id in ids:
        floor.complete_triage(row_id)
    t2 = time.perf_counter()
    floor.db.close()
    return {"starts": rate(n, t1 - t0), "completions": rate(n, t2 - t1)}


# --- (b) Minyi over HTTP -------------------------------------------------------------------

def minyi_app(workdir: Path):
    """The app on a fresh SQLite file, with reference data, ENV staff and the complaint process."""
    from app import create_app
    from app.cases import people
    from app.cases.processes import deploy_bpmn
    from app.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{workdir / 'bench.sqlite3'}"})
    with app.app_context():
        db.create_all()
        people.ensure_reference_data()
        people.create_department("ENV", "生态环境科")
        people.create_user("intake1", ["intake"])
        people.create_user("handler1", ["handler"], "ENV")
        token = people.issue_token("intake1")
        deploy_bpmn(BPMN.read_bytes(), BPMN.name, "bench")
        db.session.remove()
    return app, {"Authorization": f"Bearer {token}"}


class StatementCounter:
    """Counts SQL statements sent on an engine while `on` is set."""

    def __init__(self, engine):
        self.count, self.on = 0, False
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, *_args, **_kwargs) -> None:
        if self.on:
            self.count += 1

    def measure(self, fn):
        """Run fn() with counting on; returns (result, seconds, statements)."""
        self.count, self.on = 0, True
        t0 = time.perf_counter()
        try:
            result = fn()
        finally:
            self.on = False
        return result, time.perf_counter() - t0, self.count


def expect(response, status: int):
    """The response's JSON; AssertionError (with the body) unless the status is `status`."""
    if response.status_code != status:
        raise AssertionError(f"{response.request.method} {response.request.path}: "
                             f"{response.status_code} != {status}: {response.get_data(as_text=True)[:500]}")
    return response.get_json()


def intake(client, headers, n: int) -> list[str]:
    """N intakes over HTTP; returns the case numbers."""
    return [expect(client.post("/api/v1/cases", json=COMPLAINT, headers=headers), 201)["number"] for _ in range(n)]


def triage_task_ids(client, headers) -> dict[str, str]:
    """Case number -> id of its open triage task, from the group inbox (200 a page)."""
    found, page = {}, 1
    while True:
        body = expect(client.get(f"/api/v1/tasks?scope=group&per_page=200&page={page}", headers=headers), 200)
        found.update({t["case_number"]: t["id"] for t in body["items"] if t["name"] == "triage"})
        if not body["items"] or page * 200 >= body["total"]:
            return found
        page += 1


def complete_all(client, headers, task_ids: list[str]) -> None:
    """Complete each triage task over HTTP (accept, route to ENV)."""
    for task_id in task_ids:
        expect(client.post(f"/api/v1/tasks/{task_id}/complete", json=TRIAGE, headers=headers), 200)


def bench_minyi(workdir: Path, n: int, warmup: int, profile: bool = False) -> dict[str, float]:
    """Minyi intakes/s and triage completions/s over HTTP, plus SQL statements per operation."""
    from app.extensions import db

    app, headers = minyi_app(workdir)
    client = app.test_client()
    with app.app_context():
        counter = StatementCounter(db.engine)
    intake(client, headers, warmup)
    complete_all(client, headers, list(triage_task_ids(client, headers).values()))
    numbers, t_intake, s_intake = counter.measure(lambda: intake(client, headers, n))
    ids = triage_task_ids(client, headers)
    task_ids = [ids[number] for number in numbers]
    run = functools.partial(complete_all, client, headers, task_ids)
    run = profiled(run) if profile else run
    _, t_complete, s_complete = counter.measure(run)
    return {"intakes": rate(n, t_intake), "completions": rate(n, t_complete),
            "sql_per_intake": s_intake / n, "sql_per_completion": s_complete / n}


def profiled(fn):
    """fn wrapped in cProfile; prints the top 25 by cumulative time afterwards."""
    def run():
        prof = cProfile.Profile()
        try:
            return prof.runcall(fn)
        finally:
            pstats.Stats(prof).sort_stats("cumulative").print_stats(25)
    return run


# --- report --------------------------------------------------------------------------------

def report(n: int, floor: dict[str, float], minyi: dict[str, float]) -> None:
    """The figures, the ratios and the targets, one line each."""
    def verdict(ok: bool) -> str:
        return "PASS" if ok else "FAIL"

    start_ratio = minyi["intakes"] / floor["starts"]
    complete_ratio = minyi["completions"] / floor["completions"]
    print(f"\nMinyi benchmark — SQLite, N={n}\n" + "-" * 64)
    print(f"{'floor starts/s':<40}{floor['starts']:>12.1f}")
    print(f"{'floor completions/s':<40}{floor['completions']:>12.1f}")
    print(f"{'Minyi intakes/s':<40}{minyi['intakes']:>12.1f}")
    print(f"{'Minyi completions/s':<40}{minyi['completions']:>12.1f}")
    print(f"{'SQL statements per intake':<40}{minyi['sql_per_intake']:>12.1f}")
    print("-" * 64)
    print(f"{'intake ratio (Minyi/floor)':<40}{start_ratio:>12.2f}   target >= {MIN_RATIO}   "
          f"{verdict(start_ratio >= MIN_RATIO)}")
    print(f"{'completion ratio (Minyi/floor)':<40}{complete_ratio:>12.2f}   target >= {MIN_RATIO}   "
          f"{verdict(complete_ratio >= MIN_RATIO)}")
    spc = minyi["sql_per_completion"]
    print(f"{'SQL statements per completion':<40}{spc:>12.1f}   target <= {MAX_STATEMENTS_PER_COMPLETION}    "
          f"{verdict(spc <= MAX_STATEMENTS_PER_COMPLETION)}")


def main() -> int:
    """Parse options, run the floor then Minyi in one temp dir, print the report; 0 unless raising."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=300, help="timed operations per figure (default 300)")
    parser.add_argument("--warmup", type=int, default=20, help="untimed operations first (default 20)")
    parser.add_argument("--profile", action="store_true", help="cProfile Minyi completions, top 25 (slower)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="minyi-bench-") as tmp:
        floor = bench_floor(Path(tmp), args.n, args.warmup)
        minyi = bench_minyi(Path(tmp), args.n, args.warmup, args.profile)
    report(args.n, floor, minyi)
    return 0


if __name__ == "__main__":
    sys.exit(main())
