"""The naive app: the same BPMN served the way a competent team would write it without Minyi.

It is the yardstick `bench.py` measures Minyi against (issue 6): stock SpiffWorkflow, the process
parsed once at start-up, and each instance stored as ONE row holding spec and state together
(`BpmnWorkflowSerializer.serialize_json` of the whole workflow). No auth, no validation beyond what
is needed not to crash, no projections, no ledger, no timers run: it is the floor.

    POST /instances                                   body = start data
        -> 201 {"id": <instance id>, "tasks": [{"id", "name"}, ...]}   (ready human tasks)
    POST /instances/<id>/tasks/<task_id>/complete     body = form data
        -> 200 {"id": <instance id>, "tasks": [...]}

Storage is the stdlib `sqlite3`, not SQLAlchemy: one table and two statements need no ORM and no
Core, and the stdlib driver is the cheapest honest way to reach SQLite, so the floor pays nothing
it does not have to. One connection per thread is opened on first use and kept (what a pool gives
Minyi), with Minyi's pragmas: WAL and synchronous=FULL, so both sides pay the same durable commit.
A completion reads and writes its row inside BEGIN IMMEDIATE, so two concurrent completions of one
instance cannot overwrite each other (SQLite has a single writer anyway; it costs no extra round trip).

Scripts get the stock `PythonScriptEngine(environment=TaskDataEnvironment(helpers))` with the
deadline functions the BPMN calls (Minyi's own `deadline_helpers`, official calendar, no overrides)
and `set_case(**fields)`, which records nothing here: the naive app keeps no case table to project to.
Task properties such as `due` are ignored.

Run it by hand:  .venv/bin/python benchmarks/naive_app.py [db path]   (Flask's development server)
"""

from __future__ import annotations

import sqlite3
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID

from flask import Flask, abort, request
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.exceptions import TaskNotFoundException
from SpiffWorkflow.spiff.parser import SpiffBpmnParser
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG
from SpiffWorkflow.util.task import TaskState

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app.calendar import WorkCalendar  # noqa: E402 - after the path is set
from app.calendar.helpers import deadline_helpers  # noqa: E402

BPMN = ROOT / "processes" / "complaint.bpmn"
PROCESS_ID = "complaint"
ZONE = "Asia/Shanghai"


def script_helpers() -> dict:
    """The functions the BPMN's scripts and timer expressions call."""
    from zoneinfo import ZoneInfo

    calendar, zone = WorkCalendar(), ZoneInfo(ZONE)

    def set_case(**fields) -> None:
        """Minyi projects these onto its case row; the naive app has no case row."""
        return None

    helpers = deadline_helpers(lambda: calendar, lambda: zone, lambda: datetime.now(UTC))
    return {**helpers, "set_case": set_case}


def create_naive_app(db_path: str | Path, bpmn: Path = BPMN, process_id: str = PROCESS_ID) -> Flask:
    """The app on SQLite file `db_path` (created if missing), serving process `process_id` from `bpmn`."""
    parser = SpiffBpmnParser()
    parser.add_bpmn_file(str(bpmn))
    spec = parser.get_spec(process_id)
    subprocess_specs = parser.get_subprocess_specs(process_id)
    serializer = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(SPIFF_CONFIG))
    script_engine = PythonScriptEngine(environment=TaskDataEnvironment(script_helpers()))
    local = threading.local()

    def connection() -> sqlite3.Connection:
        con = getattr(local, "con", None)
        if con is None:
            # Autocommit mode: transactions are begun explicitly where they are needed.
            con = local.con = sqlite3.connect(db_path, isolation_level=None)
            con.execute("PRAGMA journal_mode=WAL")
            con.execute("PRAGMA synchronous=FULL")
        return con

    connection().execute("CREATE TABLE IF NOT EXISTS instance (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")

    def ready_tasks(wf: BpmnWorkflow) -> list[dict[str, str]]:
        return [{"id": str(t.id), "name": t.task_spec.name} for t in wf.get_tasks(state=TaskState.READY, manual=True)]

    app = Flask(__name__)
    app.config["NAIVE_DB"] = str(db_path)
    app.naive_connection = connection  # for the benchmark's statement counter

    @app.post("/instances")
    def start():
        data = request.get_json(silent=True) or {}
        wf = BpmnWorkflow(spec, subprocess_specs, script_engine=script_engine)
        wf.get_tasks(state=TaskState.READY)[0].set_data(**data)
        wf.do_engine_steps()
        # One statement, so its own (durable) transaction.
        cur = connection().execute("INSERT INTO instance (body) VALUES (?)", (serializer.serialize_json(wf),))
        return {"id": cur.lastrowid, "tasks": ready_tasks(wf)}, 201

    @app.post("/instances/<int:instance_id>/tasks/<task_id>/complete")
    def complete(instance_id: int, task_id: str):
        data = request.get_json(silent=True) or {}
        con = connection()
        con.execute("BEGIN IMMEDIATE")
        try:
            row = con.execute("SELECT body FROM instance WHERE id = ?", (instance_id,)).fetchone()
            if row is None:
                abort(404)
            wf = serializer.deserialize_json(row[0])
            wf.script_engine = script_engine
            try:
                task = wf.get_task_from_id(UUID(task_id))
            except (ValueError, TaskNotFoundException):
                task = None
            if task is None or task.state != TaskState.READY or not task.task_spec.manual:
                abort(409)
            task.set_data(**data)
            task.run()
            wf.do_engine_steps()
            con.execute("UPDATE instance SET body = ? WHERE id = ?", (serializer.serialize_json(wf), instance_id))
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        return {"id": instance_id, "tasks": ready_tasks(wf)}, 200

    return app


if __name__ == "__main__":
    create_naive_app(sys.argv[1] if len(sys.argv) > 1 else "naive.sqlite3").run()
