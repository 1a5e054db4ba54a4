"""One failing case never stops the others: it becomes an incident, retried with backoff."""

from datetime import timedelta

from sqlalchemy import select

from app import clock
from app.cases.clocks.incidents import backoff
from app.cases.clocks.timers import fire_due_timers
from app.cases.intake.appeal import parse_appeal
from app.cases.intake.registration import register_case
from app.cases.people.departments import create_department
from app.cases.procedures.processes import deploy_bpmn
from app.extensions import db
from app.models import Case, Incident, LedgerEntry, Timer
from tests.helpers import COMPLAINT
from tests.processes import timer_then_script


def _register():
    return register_case(parse_appeal(COMPLAINT), "intake1").number


def _closed_count():
    db.session.expire_all()
    return db.session.query(Case).filter(Case.status == "closed").count()


def test_a_case_whose_timer_fails_becomes_an_incident_and_the_hundred_others_still_fire(app, staff, frozen, runner):
    deploy_bpmn(timer_then_script("boom = 1 / 0"), "complaint.bpmn", "test")
    broken = _register()
    deploy_bpmn(timer_then_script("set_case(status='closed')"), "complaint.bpmn", "test")
    for _ in range(100):
        _register()
    clock.advance(timedelta(days=1, seconds=1))
    assert fire_due_timers(limit=500) == 100
    assert _closed_count() == 100

    incident = db.session.scalar(select(Incident))
    case = db.session.scalar(select(Case).where(Case.number == broken))
    assert incident.case_id == case.id and incident.resolved_at is None and incident.retries == 0
    assert "division by zero" in incident.message
    assert incident.next_retry_at == clock.now() + backoff(0)
    assert db.session.scalar(select(Timer).where(Timer.case_id == case.id)) is not None  # nothing was lost
    assert "incident.opened" in [e.action for e in db.session.scalars(select(LedgerEntry).where(LedgerEntry.case_id == case.id))]

    # Not retried before its time; then retried, failing again, with a longer wait.
    assert fire_due_timers() == 0
    clock.advance(backoff(0) + timedelta(seconds=1))
    assert fire_due_timers() == 0
    db.session.expire_all()
    incident = db.session.scalar(select(Incident))
    assert incident.retries == 1 and incident.next_retry_at == clock.now() + backoff(1)

    listed = runner.invoke(args=["incidents", "list"])
    assert listed.exit_code == 0 and broken in listed.output and "division by zero" in listed.output


def test_an_incident_is_resolved_when_a_retry_succeeds(app, staff, frozen, runner, client):
    deploy_bpmn(timer_then_script("set_case(status='closed', department='LEGAL')"), "complaint.bpmn", "test")
    number = _register()
    clock.advance(timedelta(days=1, seconds=1))
    assert fire_due_timers() == 0
    incident = db.session.scalar(select(Incident))
    assert "LEGAL" in incident.message
    admin = staff.add("admin1", "admin")
    shown = client.get("/api/v1/incidents", headers=admin).json
    assert shown["total"] == 1 and shown["items"][0]["case_number"] == number
    assert client.get("/api/v1/incidents", headers=staff.headers("super1")).status_code == 403
    detail = client.get(f"/api/v1/cases/{number}", headers=admin).json
    assert [i["id"] for i in detail["incidents"]] == [incident.id]

    retried = client.post(f"/api/v1/incidents/{incident.id}/retry", headers=admin)
    assert retried.status_code == 200 and retried.json["resolved"] is False
    assert runner.invoke(args=["incidents", "retry", "999"]).exit_code == 1

    create_department("LEGAL", "法制科")  # what was missing
    retried = runner.invoke(args=["incidents", "retry", str(incident.id)])
    assert retried.exit_code == 0, retried.output
    db.session.expire_all()
    assert db.session.get(Incident, incident.id).resolved_at is not None
    assert _closed_count() == 1
    assert client.get("/api/v1/incidents", headers=admin).json["total"] == 0
