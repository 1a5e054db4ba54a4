"""A deadline in a year without official data is provisional; `minyi calendar refresh` recomputes it."""

from datetime import UTC, datetime

from sqlalchemy import select

from app import clock
from app.calendar import workdays
from app.cases.intake import register_case
from app.cases.processes import deploy_bpmn
from app.extensions import db
from app.models import Task, Timer
from tests.conftest import COMPLAINT
from tests.integration.test_timers_sweep import SLA_PROCESS

WORKING_DAYS_PROCESS = SLA_PROCESS.replace(
    "<bpmn:timeDuration>P2D</bpmn:timeDuration>", "<bpmn:timeDate>working_days(5, received_at)</bpmn:timeDate>")


def test_refresh_recomputes_provisional_deadlines_once_the_year_is_published(app, staff, runner, monkeypatch):
    monkeypatch.setattr(workdays, "LAST_YEAR", 2025)  # as if 2026 were not yet published
    clock.freeze(datetime(2025, 12, 29, 1, 0, tzinfo=UTC))  # Monday 09:00 in Shanghai
    try:
        deploy_bpmn(WORKING_DAYS_PROCESS.encode(), "complaint.bpmn", "test")
        register_case({**COMPLAINT, "petitioner": dict(COMPLAINT["petitioner"])}, "intake1")
        breach = db.session.scalar(select(Timer).where(Timer.name == "breach"))
        # Weekdays only: Dec 30, 31, Jan 1, 2, 5.
        assert breach.provisional and breach.due_at == datetime(2026, 1, 5, 15, 59, 59, tzinfo=UTC)
        monkeypatch.setattr(workdays, "LAST_YEAR", 2026)  # the calendar data is updated
        result = runner.invoke(args=["calendar", "refresh"])
        assert result.exit_code == 0 and "1 provisional" in result.output, result.output
    finally:
        clock.reset()
    db.session.expire_all()
    breach = db.session.scalar(select(Timer).where(Timer.name == "breach"))
    # Official: Jan 1-2 off, Sunday Jan 4 a make-up day: Dec 30, 31, Jan 4, 5, 6.
    assert not breach.provisional and breach.due_at == datetime(2026, 1, 6, 15, 59, 59, tzinfo=UTC)
    assert db.session.scalar(select(Task.due_at).where(Task.name == "triage")) == breach.due_at
