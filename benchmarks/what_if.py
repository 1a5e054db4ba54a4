"""What-if replay throughput: cases replayed a second (both versions), by a page's replay and by a run, SQLite.

Run from the repo root:  .venv/bin/python benchmarks/what_if.py [--n 1000]
Target (issue 23): a run replays at least 70 cases a second on this machine, so a month of a big city's complaints
(60,000) is replayed within 15 minutes, and it is no slower a case than the page's replay (ratio run/page >= 0.9:
reading every case in batches costs nothing extra). The run's peak memory is printed (information).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402

from app import clock, create_app  # noqa: E402
from app.cases.bootstrap import ensure_reference_data  # noqa: E402
from app.cases.intake.appeal import parse_appeal  # noqa: E402
from app.cases.intake.registration import register_case  # noqa: E402
from app.cases.people.users import create_user, principal_of  # noqa: E402
from app.cases.procedures.processes import deploy_bpmn  # noqa: E402
from app.cases.procedures.whatif import what_if  # noqa: E402
from app.cases.work.tasks import complete_task  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import Case, Task, User  # noqa: E402

PROCESS = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" id="d" targetNamespace="https://minyi.bench">
  <bpmn:process id="complaint" isExecutable="true">
    <bpmn:laneSet id="ls"><bpmn:lane id="l1" name="Intake"><bpmn:flowNodeRef>answer</bpmn:flowNodeRef>
      <bpmn:flowNodeRef>close</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>
    <bpmn:startEvent id="start"/><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="answer"/>
    <bpmn:userTask id="answer" name="Answer"><bpmn:extensionElements><spiffworkflow:properties>
      <spiffworkflow:property name="due" value="calendar_days(DAYS)"/></spiffworkflow:properties></bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="f2" sourceRef="answer" targetRef="close"/>
    <bpmn:scriptTask id="close" name="Close"><bpmn:script>set_case(status='closed')</bpmn:script></bpmn:scriptTask>
    <bpmn:sequenceFlow id="f3" sourceRef="close" targetRef="end"/><bpmn:endEvent id="end"/>
  </bpmn:process>
</bpmn:definitions>"""
CASE = {"category": "complaint", "channel": "api", "title": "t", "description": "d", "petitioner": {"name": "n"}}
START = datetime(2026, 9, 1, 2, 0, tzinfo=UTC)


def seed(app, n: int) -> None:
    """n cases over 6 weeks, each answered after 1 to 9 days on a 10-day clock; a draft (v2) gives 3 days."""
    with app.app_context():
        db.create_all()
        ensure_reference_data()
        create_user("clerk", ["intake"], None, password=None)
        deploy_bpmn(PROCESS.replace("DAYS", "10").encode(), "complaint.bpmn", "bench")
        clerk = principal_of(db.session.scalar(select(User).where(User.username == "clerk")))
        for i in range(n):
            received = START + timedelta(minutes=int(i * 6 * 7 * 24 * 60 / n))
            clock.freeze(received)
            number = register_case(parse_appeal(CASE), "bench").number
            task = db.session.scalar(select(Task).join(Case, Case.id == Task.case_id).where(
                Case.number == number, Task.state == "ready"))
            clock.freeze(received + timedelta(days=1 + i % 9))
            complete_task(clerk, task.id, {})
        deploy_bpmn(PROCESS.replace("DAYS", "3").encode(), "complaint.bpmn", "bench", draft=True)
        clock.freeze(START + timedelta(weeks=7))
        db.session.remove()


def timed(app, limit: int | None, traced: bool = False) -> tuple[float, int, int]:
    """(seconds, cases replayed, peak bytes allocated: traced only, which slows it) of one replay of the last 8 weeks."""
    with app.app_context():
        if traced:
            tracemalloc.start()
        began = time.perf_counter()
        result = what_if("complaint", 2, 8, limit=limit)
        seconds = time.perf_counter() - began
        peak = tracemalloc.get_traced_memory()[1] if traced else 0
        if traced:
            tracemalloc.stop()
        db.session.remove()
    return seconds, result["total"], peak


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="minyi-what-if-") as tmp:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(tmp) / 'what-if.sqlite3'}"})
        began = time.perf_counter()
        seed(app, args.n)
        print(f"seeded {args.n} answered cases in {time.perf_counter() - began:.0f} s")
        timed(app, 20)  # warm: the specs parsed and cached, as in a running server
        rounds = []
        for _ in range(3):  # page and run alternately; the medians of the rounds
            page_s, page_n, _ = timed(app, min(500, args.n))
            run_s, run_n, _ = timed(app, None)
            rounds.append((page_n / page_s, run_n / run_s))
        page_rate = statistics.median(r[0] for r in rounds)
        run_rate = statistics.median(r[1] for r in rounds)
        ratio = statistics.median(r[1] / r[0] for r in rounds)
        run_peak = timed(app, None, traced=True)[2]
        print(f"page replay ({page_n} cases): {page_rate:.0f} cases/s; run ({run_n} cases): {run_rate:.0f} cases/s, "
              f"peak {run_peak / 1e6:.1f} MB; per round (page, run): "
              + ", ".join(f"({p:.0f}, {r:.0f})" for p, r in rounds))
        print(f"a run replays at least 70 cases/s (60,000 in 15 min): {'PASS' if run_rate >= 70 else 'FAIL'}"
              f" ({run_rate:.0f}; 60,000 cases in {60000 / run_rate / 60:.1f} min)")
        print(f"run/page throughput ratio >= 0.9: {'PASS' if ratio >= 0.9 else 'FAIL'} ({ratio:.2f})")
    clock.reset()
    return 0


if __name__ == "__main__":
    sys.exit(main())
