"""A script over its budget fails its own operation only: others keep working, the sweep goes on."""

import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import select

from app import clock
from app.cases import errors
from app.cases.clocks.timers import fire_due_timers
from app.cases.intake.appeal import parse_appeal
from app.cases.intake.registration import register_case
from app.cases.people.users import principal_of
from app.cases.procedures.processes import deploy_bpmn
from app.cases.work.tasks import complete_task
from app.extensions import db
from app.models import Case, Incident, LedgerEntry, Task, User
from tests.helpers import COMPLAINT
from tests.processes import bpmn, flow, script, timer_then_script

# Each iteration scans a million-item list: the wall clock (2 s), not the iteration count, stops it.
SLOW_ENDLESS_LOOP = "big = [0] * 1000000\nn = 1\nwhile n != 0:\n    n = n + (1 if -1 not in big else 0)"
FAST_ENDLESS_LOOP = "n = 1\nwhile n != 0:\n    n = n + 1"


def _triage_then_script(text: str) -> bytes:
    return bpmn(
        '<bpmn:startEvent id="start"/>' + flow("f1", "start", "triage") + '<bpmn:userTask id="triage" name="Triage"/>'
        + flow("f2", "triage", "plan") + script("plan", text) + flow("f3", "plan", "end") + '<bpmn:endEvent id="end"/>',
        {"Intake": ["triage", "plan"]},
    )


def _register():
    return register_case(parse_appeal(COMPLAINT), "intake1").number


def test_a_completion_that_loops_fails_within_the_budget_while_another_clients_intake_succeeds(app, staff):
    deploy_bpmn(_triage_then_script(SLOW_ENDLESS_LOOP), "complaint.bpmn", "test")
    number = _register()
    case = db.session.scalar(select(Case).where(Case.number == number))
    task_id = db.session.scalar(select(Task.id).where(Task.case_id == case.id))
    user = principal_of(db.session.scalar(select(User).where(User.username == "intake1")))
    db.session.rollback()
    outcome: dict = {}

    def complete():
        with app.app_context():
            began = time.monotonic()
            try:
                complete_task(user, task_id, {})
            except Exception as exc:  # the test inspects it
                outcome["error"] = exc
            finally:
                outcome["seconds"], outcome["ended"] = time.monotonic() - began, time.monotonic()
                db.session.remove()

    looping = threading.Thread(target=complete)
    looping.start()
    time.sleep(0.3)  # the completion is inside its loop now
    other = _register()  # another client's intake: no "database is locked", no waiting for the loop
    intake_done = time.monotonic()
    looping.join(timeout=10)

    # The behaviour, not a stopwatch: the other intake went through while the loop was still running
    # (the loop holds the GIL half the time, so on a loaded machine the intake itself may take over a second).
    assert other
    assert intake_done < outcome["ended"], "the intake waited for the looping completion"
    assert isinstance(outcome["error"], errors.ProcessFailedError)
    assert "script task 'plan': more than 2 s of run time" in str(outcome["error"])
    assert outcome["seconds"] < 3.5
    db.session.expire_all()
    assert db.session.get(Task, task_id).state == "ready"  # rolled back: the task is still open


def test_a_timer_path_over_budget_becomes_an_incident_naming_the_element_and_the_others_still_fire(app, staff, frozen):
    deploy_bpmn(timer_then_script(FAST_ENDLESS_LOOP), "complaint.bpmn", "test")
    broken = _register()
    deploy_bpmn(timer_then_script("set_case(status='closed')"), "complaint.bpmn", "test")
    for _ in range(5):
        _register()
    clock.advance(timedelta(days=1, seconds=1))
    began = time.monotonic()
    assert fire_due_timers() == 5
    assert time.monotonic() - began < 5
    db.session.expire_all()
    assert db.session.query(Case).filter(Case.status == "closed").count() == 5

    incident = db.session.scalar(select(Incident))
    case = db.session.scalar(select(Case).where(Case.number == broken))
    assert incident.case_id == case.id
    assert incident.message == "the process failed: script task 'after': more than 100000 loop iterations"
    opened = db.session.scalar(select(LedgerEntry).where(LedgerEntry.case_id == case.id, LedgerEntry.action == "incident.opened"))
    assert opened.details["message"] == incident.message


@pytest.mark.parametrize("text", ["x = (i for i in [1])", "x = 'a'.encode()"])
def test_a_completion_leaving_non_json_data_is_refused_before_anything_is_saved(app, staff, text):
    deploy_bpmn(_triage_then_script(text), "complaint.bpmn", "test")
    number = _register()
    case = db.session.scalar(select(Case).where(Case.number == number))
    task_id = db.session.scalar(select(Task.id).where(Task.case_id == case.id))
    user = principal_of(db.session.scalar(select(User).where(User.username == "intake1")))
    with pytest.raises(errors.ProcessFailedError, match="script task 'plan' left 'x' as"):
        complete_task(user, task_id, {})
    db.session.expire_all()
    assert db.session.get(Task, task_id).state == "ready"
