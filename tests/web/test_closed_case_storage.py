"""A closed case keeps a compacted, compressed engine state, and its page still shows its path and its timeline."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select, text

from app import engine
from app.cases.people.users import create_user
from app.cases.uow.workflow import load
from app.engine.serialization import COMPACTED_KEY
from app.extensions import db
from app.models import Case, ProcessInstance
from app.models.compression import decompress_text
from tests.helpers import csrf_token, drive_to_answer, fresh_context_client, register

PASSWORD = "a-long-enough-pass"
DONE = ["feedback", "head_review", "investigate", "triage"]


@pytest.fixture
def closed(client, staff, deployed, complaint):
    case = register(client, staff.headers("intake1"), complaint)
    drive_to_answer(client, staff, case["number"])
    rated = client.post(f"/api/v1/public/cases/{case['number']}/rating", json={"access_code": case["access_code"], "score": 5})
    assert rated.json["status"] == "closed"
    return case["number"]


def _stored(number):
    instance_id = db.session.scalar(select(ProcessInstance.id).join(Case).where(Case.number == number))
    raw = db.session.execute(text("SELECT state FROM process_instance WHERE id = :id"), {"id": instance_id}).scalar()
    return instance_id, raw


def test_a_closed_case_stores_its_state_compacted_and_compressed(app, closed):
    instance_id, raw = _stored(closed)
    assert isinstance(raw, bytes | memoryview) and len(raw) < 1000
    state = json.loads(decompress_text(raw))
    assert state[COMPACTED_KEY] is True and len(state["tasks"]) == 1
    assert state["data"]["answer"] and state["data"]["satisfaction"] == 5  # the final process data stays
    op = load(instance_id, "test")  # still loads: a completed workflow, nothing ready, no timer
    assert engine.is_completed(op.workflow) and op.ready_before == {} and op.timers_before == {}
    db.session.rollback()


def test_the_case_page_of_a_closed_case_marks_every_step_done_and_shows_its_timeline(app, closed):
    create_user("super_pw", ["supervisor"], password=PASSWORD)
    client = fresh_context_client(app)
    client.post("/login", data={"username": "super_pw", "password": PASSWORD, "csrf_token": csrf_token(client)})
    html = client.get(f"/cases/{closed}").get_data(as_text=True)
    assert f'data-completed="{" ".join(DONE)}"' in html and 'data-current=""' in html


def test_the_api_timeline_of_a_closed_case_is_whole(client, staff, closed):
    timeline = client.get(f"/api/v1/cases/{closed}/timeline", headers=staff.headers("super1")).json["items"]
    actions = [e["action"] for e in timeline]
    assert actions[0] == "case.registered" and "case.satisfaction_recorded" in actions and actions[-1] == "process.completed"
    assert sorted(e["details"]["name"] for e in timeline if e["action"] == "task.completed") == DONE
    detail = client.get(f"/api/v1/cases/{closed}", headers=staff.headers("super1")).json
    assert detail["process"]["completed"] is True and detail["status"] == "closed"


def test_the_ledger_says_a_step_once_and_readers_still_get_its_name_and_title(app, client, staff, closed):
    """A step's later entries store only the task's id; the API (and the pages) put the step's name and title back."""
    timeline = client.get(f"/api/v1/cases/{closed}/timeline", headers=staff.headers("super1")).json["items"]
    steps = [e for e in timeline if e["action"] in ("task.created", "task.claimed", "task.completed")]
    assert steps and all(e["details"]["name"] and e["details"]["title"] for e in steps)
    assert {e["details"]["title"] for e in steps if e["details"]["name"] == "triage"} == {"Triage 受理分流"}
    with app.app_context():
        stored = db.session.execute(text(
            "SELECT action, details FROM ledger_entry JOIN \"case\" ON \"case\".id = ledger_entry.case_id "
            "WHERE \"case\".number = :n AND action IN ('task.created', 'task.claimed', 'task.completed', 'case.registered')"),
            {"n": closed}).all()
    for action, details in stored:
        details = details if isinstance(details, dict) else json.loads(details)
        assert "title" not in details and "name" not in details and "number_reversed" not in details, (action, details)
