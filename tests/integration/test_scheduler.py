"""The live scheduler fires timers within 2 s of their due time, on the real clock."""

import time

from sqlalchemy import select

from app.cases.intake import register_case
from app.cases.processes import deploy_bpmn
from app.extensions import db
from app.models import LedgerEntry, Timer
from app.scheduler import build
from tests.conftest import COMPLAINT
from tests.integration.test_timers_sweep import SLA_PROCESS


def test_a_running_scheduler_fires_each_timer_within_two_seconds(app, staff):
    deploy_bpmn(SLA_PROCESS.replace("P1D", "PT1S").replace("P2D", "PT2S").encode(), "complaint.bpmn", "test")
    register_case({**COMPLAINT, "petitioner": dict(COMPLAINT["petitioner"])}, "intake1")
    due = {t.name: t.due_at for t in db.session.scalars(select(Timer))}
    db.session.commit()
    scheduler = build(app)
    scheduler.start()
    try:
        deadline = time.monotonic() + 8
        while time.monotonic() < deadline:
            db.session.expire_all()
            fired = db.session.scalars(select(LedgerEntry).where(LedgerEntry.action == "timer.fired")).all()
            db.session.rollback()
            if len(fired) == 2:
                break
            time.sleep(0.1)
    finally:
        scheduler.shutdown(wait=True)
    lateness = {e.details["timer"]: (e.at - due[e.details["timer"]]).total_seconds() for e in fired}
    assert set(lateness) == {"warn", "breach"}
    assert all(0 <= late < 2 for late in lateness.values()), lateness
