"""Moving an instance to another version in the engine: what is safe, what keeps its deadline, and that the
moved instance runs on through the new version."""

from datetime import timedelta

import pytest

from app import clock, engine
from tests.processes import bpmn, flow
from tests.unit.engine_env import unit_script_engine


def chain(names, reminder="working_days(3)"):
    """User tasks in a row; the first carries a non-interrupting reminder at a moment (timeDate)."""
    body, previous = '<bpmn:startEvent id="start"/>', "start"
    for name in names:
        body += flow(f"f_{previous}_{name}", previous, name) + f'<bpmn:userTask id="{name}" name="{name.upper()}"/>'
        previous = name
    body += flow(f"f_{previous}_end", previous, "end") + '<bpmn:endEvent id="end"/>'
    body += (f'<bpmn:boundaryEvent id="reminder" attachedToRef="{names[0]}" cancelActivity="false"><bpmn:timerEventDefinition>'
             f"<bpmn:timeDate>{reminder}</bpmn:timeDate></bpmn:timerEventDefinition></bpmn:boundaryEvent>"
             + flow("f_reminder", "reminder", "reminder_end") + '<bpmn:endEvent id="reminder_end"/>')
    return engine.parse_bpmn(bpmn(body, {"Intake": names}))


def _started(parsed):
    return engine.start_instance(parsed.spec, parsed.subprocess_specs, unit_script_engine())


def _run_to_end(workflow):
    ran = []
    while not engine.is_completed(workflow):
        [task] = engine.ready_human_tasks(workflow)
        ran.append(task.name)
        engine.complete_task(workflow, task.id, {})
    return ran


@pytest.fixture(autouse=True)
def _frozen():
    from tests.helpers import FROZEN_AT

    clock.freeze(FROZEN_AT)
    yield
    clock.reset()


@pytest.mark.parametrize("new", [["a", "b", "d"], ["a", "b", "x", "c", "d"], ["a", "b", "c", "d", "e"]],
                         ids=["a later task removed", "a task inserted later", "a task appended"])
def test_a_moved_instance_runs_on_through_the_new_version(new):
    workflow = _started(chain(["a", "b", "c", "d"]))
    target = chain(new)
    assert engine.check_migration(workflow, target.spec, target.subprocess_specs).safe
    engine.migrate_instance(workflow, target.spec, target.subprocess_specs)
    assert _run_to_end(workflow) == new


def test_an_unchanged_timer_keeps_its_due_time_and_unit_and_a_changed_one_is_computed_again():
    workflow = _started(chain(["a", "b"]))
    [before] = engine.pending_timers(workflow)
    assert before.unit == "working"
    clock.freeze(clock.now() + timedelta(days=1))
    same_timer = chain(["a", "b", "c"])
    engine.migrate_instance(workflow, same_timer.spec, same_timer.subprocess_specs)
    assert engine.pending_timers(workflow) == [before]
    other_timer = chain(["a", "b", "c"], reminder="working_days(5)")
    engine.migrate_instance(workflow, other_timer.spec, other_timer.subprocess_specs)
    [after] = engine.pending_timers(workflow)
    assert after.task_id == before.task_id and after.due_at > before.due_at + timedelta(days=2)


def test_an_instance_on_a_changed_element_does_not_move_and_the_reason_names_it():
    workflow = _started(chain(["a", "b"]))
    engine.complete_task(workflow, engine.ready_human_tasks(workflow)[0].id, {})
    renamed = engine.parse_bpmn(bpmn(
        '<bpmn:startEvent id="start"/>' + flow("f_start_a", "start", "a") + '<bpmn:userTask id="a" name="Renamed"/>'
        + flow("f_a_b", "a", "b") + '<bpmn:userTask id="b" name="B"/>' + flow("f_b_end", "b", "end")
        + '<bpmn:endEvent id="end"/>', {"Intake": ["a", "b"]}))
    check = engine.check_migration(workflow, renamed.spec, renamed.subprocess_specs)
    assert not check.safe and "a" in check.elements and "'a' (completed) was changed (" in check.reason
    assert "'a' (completed) was changed (boundary events)" in check.reason  # its reminder is gone in the new version
    assert "BoundaryEvent" not in check.reason and check.elements == ["a", "start"]
    spec_before = workflow.spec
    with pytest.raises(engine.MigrationUnsafeError, match="'a' \\(completed\\)"):
        engine.migrate_instance(workflow, renamed.spec, renamed.subprocess_specs)
    assert workflow.spec is spec_before


def wrapped(a_name="A", b_name="B"):
    """The case body in an embedded sub-process (as a withdrawable flow is drawn), then one more task."""
    return engine.parse_bpmn(bpmn(
        '<bpmn:startEvent id="start"/>' + flow("f1", "start", "body") + '<bpmn:subProcess id="body">'
        + '<bpmn:startEvent id="s_start"/>' + flow("s1", "s_start", "a") + f'<bpmn:userTask id="a" name="{a_name}"/>'
        + flow("s2", "a", "b") + f'<bpmn:userTask id="b" name="{b_name}"/>' + flow("s3", "b", "s_end")
        + '<bpmn:endEvent id="s_end"/></bpmn:subProcess>' + flow("f2", "body", "c") + '<bpmn:userTask id="c" name="C"/>'
        + flow("f3", "c", "end") + '<bpmn:endEvent id="end"/>', {"Intake": ["a", "b", "c", "body"]}))


def test_an_instance_inside_an_embedded_sub_process_moves_and_the_sub_process_runs_the_new_version():
    workflow = _started(wrapped())
    target = wrapped(b_name="B2")
    engine.migrate_instance(workflow, target.spec, target.subprocess_specs)
    titles = []
    while not engine.is_completed(workflow):
        [task] = engine.ready_human_tasks(workflow)
        titles.append(task.title)
        engine.complete_task(workflow, task.id, {})
    assert titles == ["A", "B2", "C"]


def test_a_changed_task_inside_a_sub_process_the_case_is_on_makes_it_unsafe():
    workflow = _started(wrapped())
    target = wrapped(a_name="A2")
    assert engine.check_migration(workflow, target.spec, target.subprocess_specs).reason == \
        "not safe to move: 'a' (ready) was changed (name)"
