"""A 23:59:59 burst: N SLA moments due at once, cleared by one scheduler and by two; plus the idle sweep.

Run from the repo root:
    .venv/bin/python benchmarks/burst.py [--moments 10000] [--database-url postgresql://...]
Targets (issue 12): 10,000 moments due at once handled by one scheduler in <= 10 s; two schedulers
share the work (each moment fires once); an idle sweep (nothing due) <= 5 ms.

Cases are registered through the service layer (each opens one task whose `due` clock gives three
moments: warning, breach, escalation); then the clock jumps past them all and the sweep runs as the
scheduler runs it (`fire_due_timers` until nothing is left).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402

from app import clock, create_app  # noqa: E402
from app.cases.bootstrap import ensure_reference_data  # noqa: E402
from app.cases.clocks.timers import fire_due_timers  # noqa: E402
from app.cases.intake.appeal import parse_appeal  # noqa: E402
from app.cases.intake.registration import register_case  # noqa: E402
from app.cases.procedures.processes import deploy_bpmn  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import LedgerEntry, Notice, Timer  # noqa: E402

PROCESS = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" id="d" targetNamespace="https://minyi.bench">
  <bpmn:process id="complaint" isExecutable="true">
    <bpmn:laneSet id="ls"><bpmn:lane id="l1" name="Intake"><bpmn:flowNodeRef>triage</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>
    <bpmn:startEvent id="start"/><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="triage"/>
    <bpmn:userTask id="triage" name="Triage">
      <bpmn:extensionElements><spiffworkflow:properties>
        <spiffworkflow:property name="due" value="working_days(2)"/>
      </spiffworkflow:properties></bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="f2" sourceRef="triage" targetRef="end"/><bpmn:endEvent id="end"/>
  </bpmn:process>
</bpmn:definitions>"""
CASE = {"category": "complaint", "channel": "api", "title": "t", "description": "d", "petitioner": {"name": "n"}}


def seed(app, cases: int) -> None:
    with app.app_context():
        db.drop_all()
        db.create_all()
        ensure_reference_data()
        deploy_bpmn(PROCESS.encode(), "complaint.bpmn", "bench")
        started = time.perf_counter()
        for i in range(cases):
            register_case(parse_appeal(CASE), "bench")
            if i % 500 == 499:
                print(f"\r  seeding: {i + 1}/{cases} cases ({(i + 1) / (time.perf_counter() - started):.0f}/s)",
                      end="", flush=True)
        print()
        db.session.remove()


def sweep_until_done(app) -> int:
    with app.app_context():
        total = 0
        while fired := fire_due_timers(limit=100):
            total += fired
        db.session.remove()
        return total


def burst(app, schedulers: int) -> float:
    """Seconds until every due moment has fired, with this many schedulers sweeping at once."""
    barrier = threading.Barrier(schedulers)
    errors: list[Exception] = []

    def run():
        barrier.wait()
        try:
            sweep_until_done(app)
        except Exception as exc:  # reported, not hidden
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(schedulers)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    return time.perf_counter() - started


def counts(app) -> tuple[int, int, int]:
    with app.app_context():
        left = db.session.scalar(select(func.count()).select_from(Timer))
        fired = db.session.scalar(select(func.count()).select_from(LedgerEntry).where(LedgerEntry.action.like("sla.%")))
        notices = db.session.scalar(select(func.count()).select_from(Notice))
        db.session.remove()
        return left, fired, notices


def idle_sweep_ms(app, rounds: int = 200) -> tuple[float, float]:
    with app.app_context():
        times = []
        for _ in range(rounds):
            started = time.perf_counter()
            fire_due_timers(limit=100)
            times.append((time.perf_counter() - started) * 1000)
        db.session.remove()
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moments", type=int, default=10_000)
    parser.add_argument("--database-url", default=None, help="default: a SQLite file in a temp dir")
    args = parser.parse_args()
    cases = -(-args.moments // 3)
    with tempfile.TemporaryDirectory(prefix="minyi-burst-") as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'burst.sqlite3'}"
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "MINYI_ATTACHMENTS_DIR": str(Path(tmp) / "files")})
        print(f"{'PostgreSQL' if url.startswith('postgresql') else 'SQLite'}: {cases} cases, {cases * 3} SLA moments")
        results = {}
        for schedulers in (1, 2):
            clock.reset()
            seed(app, cases)
            p50, p95 = idle_sweep_ms(app)
            clock.freeze(clock.now() + timedelta(days=30))
            seconds = burst(app, schedulers)
            left, fired, notices = counts(app)
            ok = left == 0 and fired == cases * 3 and notices == cases * 2
            results[schedulers] = seconds
            print(f"  {schedulers} scheduler(s): {fired} moments in {seconds:.2f} s ({fired / seconds:,.0f}/s); "
                  f"left {left}, notices {notices}: {'each fired once' if ok else 'MISMATCH'}; "
                  f"idle sweep before the burst p50 {p50:.2f} ms, p95 {p95:.2f} ms")
        verdict = "PASS" if results[1] * 10_000 / (cases * 3) <= 10 else "FAIL"
        print(f"10,000 moments by one scheduler: {results[1] * 10_000 / (cases * 3):.2f} s (target <= 10 s: {verdict})")


if __name__ == "__main__":
    main()
