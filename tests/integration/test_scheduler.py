"""The live scheduler fires BPMN timers and SLA moments within 2 s of their due time, on the real clock."""

import time

from sqlalchemy import select

from app.cases.intake.appeal import parse_appeal
from app.cases.intake.registration import register_case
from app.cases.procedures.processes import deploy_bpmn
from app.extensions import db
from app.models import LedgerEntry, Timer
from app.scheduler import build
from tests.helpers import COMPLAINT
from tests.processes import bpmn, flow, props


def _process() -> bytes:
    """Triage due in 2 s (warning at 1 s, escalation 1 s after the breach), plus a BPMN reminder after 1.5 s."""
    return bpmn(
        '<bpmn:startEvent id="start"/>' + flow("f1", "start", "triage")
        + f'<bpmn:userTask id="triage" name="Triage">{props(due="PT2S", warn_share="0.5", escalate_after="PT1S")}</bpmn:userTask>'
        + flow("f2", "triage", "end") + '<bpmn:endEvent id="end"/>'
        + '<bpmn:boundaryEvent id="reminder" attachedToRef="triage" cancelActivity="false">'
        "<bpmn:timerEventDefinition><bpmn:timeDuration>PT1.5S</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>"
        + flow("f3", "reminder", "reminder_end") + '<bpmn:endEvent id="reminder_end"/>',
        {"Intake": ["triage"]},
    )


def test_a_running_scheduler_fires_each_moment_within_two_seconds(app, staff):
    deploy_bpmn(_process(), "complaint.bpmn", "test")
    register_case(parse_appeal(COMPLAINT), "intake1")
    due = {t.kind if t.kind != "bpmn" else "reminder": t.due_at for t in db.session.scalars(select(Timer))}
    assert sorted(due) == ["breach", "escalation", "reminder", "warning"]
    db.session.commit()
    scheduler = build(app)
    scheduler.start()
    fired = {}
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and len(fired) < 4:
            db.session.expire_all()
            for e in db.session.scalars(select(LedgerEntry).where(LedgerEntry.action.in_(("timer.fired", "sla.warning",
                                                                                            "sla.breach", "sla.escalation")))):
                fired[e.action.removeprefix("sla.") if e.action != "timer.fired" else "reminder"] = e.at
            db.session.rollback()
            time.sleep(0.1)
    finally:
        scheduler.shutdown(wait=True)
    lateness = {name: (at - due[name]).total_seconds() for name, at in fired.items()}
    assert set(lateness) == {"warning", "breach", "escalation", "reminder"}
    assert all(0 <= late < 2 for late in lateness.values()), lateness
