"""BPMN expressions compute deadlines in working days on the organisation's calendar."""

from datetime import UTC, datetime

from app.cases.uow.scripting import script_engine, script_helpers
from app.engine.scripts.sandbox import RestrictedEnvironment


def test_expressions_call_working_days_and_calendar_days_from_the_case_receipt(app):
    env = RestrictedEnvironment(script_helpers())
    data = {"received_at": "2026-09-30T02:00:00+00:00"}
    assert env.evaluate("working_days(5, received_at)", data) == "2026-10-13T23:59:59+08:00"
    assert env.evaluate("calendar_days(15, received_at)", data) == "2026-10-15T23:59:59+08:00"


def test_without_a_start_the_period_runs_from_now(app):
    env = RestrictedEnvironment(script_helpers())
    result = datetime.fromisoformat(env.evaluate("calendar_days(0)", {}))
    assert result > datetime.now(UTC)
    assert script_engine() is script_engine()
