"""Timer lateness under a live scheduler: p50/p99 of (fired at - due at) over N timers, SQLite.

Run from the repo root:  .venv/bin/python benchmarks/lateness.py [--n 200]
Target (issue 3): every timer fires within 2 s of its due time.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402

from app import create_app  # noqa: E402
from app.cases.bootstrap import ensure_reference_data  # noqa: E402
from app.cases.intake.appeal import parse_appeal  # noqa: E402
from app.cases.intake.registration import register_case  # noqa: E402
from app.cases.procedures.processes import deploy_bpmn  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import LedgerEntry, Timer  # noqa: E402
from app.scheduler import build  # noqa: E402

PROCESS = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="https://minyi.bench">
  <bpmn:process id="complaint" isExecutable="true">
    <bpmn:laneSet id="ls"><bpmn:lane id="l1" name="Intake"><bpmn:flowNodeRef>wait</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>
    <bpmn:startEvent id="start"/><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="wait"/>
    <bpmn:userTask id="wait"/><bpmn:sequenceFlow id="f2" sourceRef="wait" targetRef="end"/><bpmn:endEvent id="end"/>
    <bpmn:boundaryEvent id="due" attachedToRef="wait" cancelActivity="false">
      <bpmn:timerEventDefinition><bpmn:timeDuration>PT3S</bpmn:timeDuration></bpmn:timerEventDefinition>
    </bpmn:boundaryEvent>
    <bpmn:sequenceFlow id="f3" sourceRef="due" targetRef="due_end"/><bpmn:endEvent id="due_end"/>
  </bpmn:process>
</bpmn:definitions>"""
CASE = {"category": "complaint", "channel": "api", "title": "t", "description": "d", "petitioner": {"name": "n"}}


def measure(n: int) -> list[float]:
    """Create n cases whose timer is due 3 s after each start, run the scheduler, return lateness in seconds."""
    with tempfile.TemporaryDirectory(prefix="minyi-lateness-") as tmp:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(tmp) / 'late.sqlite3'}"})
        with app.app_context():
            db.create_all()
            ensure_reference_data()
            deploy_bpmn(PROCESS.encode(), "complaint.bpmn", "bench")
            for _ in range(n):
                register_case(parse_appeal(CASE), "bench")
            due = {t.case_id: t.due_at for t in db.session.scalars(select(Timer))}
            db.session.remove()
        scheduler = build(app)
        scheduler.start()
        try:
            fired = _wait_for(app, n, timeout=30 + n * 0.05)
        finally:
            scheduler.shutdown(wait=True)
    return [(at - due[case_id]).total_seconds() for case_id, at in fired]


def _wait_for(app, n: int, timeout: float):
    deadline = time.monotonic() + timeout
    while True:
        with app.app_context():
            rows = db.session.execute(
                select(LedgerEntry.case_id, LedgerEntry.at).where(LedgerEntry.action == "timer.fired")
            ).all()
            db.session.remove()
        if len(rows) >= n or time.monotonic() > deadline:
            return rows
        time.sleep(0.2)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200)
    args = parser.parse_args()
    late = sorted(measure(args.n))
    p50, p99 = statistics.median(late), late[min(len(late) - 1, int(len(late) * 0.99))]
    print(f"timers fired {len(late)}/{args.n}; lateness p50 {p50:.3f} s, p99 {p99:.3f} s, max {late[-1]:.3f} s")
    ok = len(late) == args.n and late[-1] < 2.0
    print(f"every timer within 2 s of its due time: {'PASS' if ok else 'FAIL'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
