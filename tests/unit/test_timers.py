"""Pending timers are listed with their due time; waking fires only those that are due."""

from datetime import UTC, datetime, timedelta

from app import engine
from tests.unit.bpmn_factory import timer_boundary


def _start(expression, kind="timeDuration"):
    parsed = engine.parse_bpmn(timer_boundary(expression, kind), "t.bpmn")
    return engine.start_instance(parsed.spec, parsed.subprocess_specs, engine.make_script_engine())


def test_a_boundary_timer_is_listed_with_its_due_time_and_task():
    before = datetime.now(UTC)
    workflow = _start("P5D")
    (timer,) = engine.pending_timers(workflow)
    assert timer.name == "late" and timer.attached_to == "t"
    assert before + timedelta(days=5) <= timer.due_at <= datetime.now(UTC) + timedelta(days=5)


def test_waking_before_the_due_time_fires_nothing():
    workflow = _start("P5D")
    engine.wake_timers(workflow)
    assert len(engine.pending_timers(workflow)) == 1


def test_a_timer_already_due_when_reached_fires_and_leaves_the_task_open():
    workflow = _start("2000-01-01T00:00:00Z", "timeDate")
    engine.wake_timers(workflow)
    assert engine.pending_timers(workflow) == []
    assert [t.name for t in engine.ready_human_tasks(workflow)] == ["t"]
    assert not engine.is_completed(workflow)
