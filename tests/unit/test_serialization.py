"""The spec is stored once per version; an instance's state alone restores it exactly."""

import json
from pathlib import Path

from app import engine
from tests.unit.engine_env import complaint_spec, start_data, unit_script_engine

ROOT = Path(__file__).resolve().parents[2]
STEPS = [
    {"triage_decision": "accept", "department": "ENV"},
    {"facts": "f", "responsibility": "r", "measures": "m"},
    {"head_decision": "rework", "head_comment": "more facts"},
    {"facts": "f2", "responsibility": "r", "measures": "m"},
    {"head_decision": "approve", "major": True},
    {"leadership_decision": "approve"},
    {"answer": "done", "feedback_channel": "phone"},
]


def _snapshot(workflow):
    return (
        [(t.name, t.lane, t.form, t.properties) for t in engine.ready_human_tasks(workflow)],
        engine.is_completed(workflow),
    )


def test_round_trip_after_every_step_of_the_complaint_flow_matches_a_run_kept_in_memory():
    (spec, subs), _ = complaint_spec()
    script_engine = unit_script_engine()
    initial = start_data()
    kept = engine.start_instance(spec, subs, script_engine, dict(initial))
    restored = engine.state_from_json(engine.state_to_json(engine.start_instance(spec, subs, script_engine, dict(initial))),
                                      spec, subs, script_engine)
    for data in STEPS:
        assert [t.name for t in engine.ready_human_tasks(kept)] == [t.name for t in engine.ready_human_tasks(restored)]
        engine.complete_task(kept, engine.ready_human_tasks(kept)[0].id, dict(data))
        engine.complete_task(restored, engine.ready_human_tasks(restored)[0].id, dict(data))
        restored = engine.state_from_json(engine.state_to_json(restored), spec, subs, script_engine)
        assert _snapshot(restored) == _snapshot(kept)
    logs = []
    for workflow in (kept, restored):
        log = engine.StepLog()
        with log.recording():
            engine.send_message(workflow, "rating", {"score": 5, "comment": None})
        logs.append(log.case_updates)
    restored = engine.state_from_json(engine.state_to_json(restored), spec, subs, script_engine)
    assert _snapshot(restored) == _snapshot(kept)
    assert logs[0] == logs[1] and logs[0][-1] == {"status": "closed"}
    assert engine.is_completed(restored)


def test_task_ids_survive_a_round_trip():
    (spec, subs), _ = complaint_spec()
    script_engine = unit_script_engine()
    workflow = engine.start_instance(spec, subs, script_engine, start_data())
    before = [t.id for t in engine.ready_human_tasks(workflow)]
    after = [t.id for t in engine.ready_human_tasks(engine.state_from_json(engine.state_to_json(workflow), spec, subs, script_engine))]
    assert before == after


def test_the_state_carries_no_spec_and_is_much_smaller_than_spec_plus_state():
    (spec, subs), spec_json = complaint_spec()
    workflow = engine.start_instance(spec, subs, unit_script_engine(), start_data())
    state = json.loads(engine.state_to_json(workflow))
    assert "spec" not in state and "subprocess_specs" not in state
    assert len(engine.state_to_json(workflow)) < len(spec_json)


def test_the_spec_hash_depends_only_on_content():
    _, first = complaint_spec()
    _, second = complaint_spec()
    assert engine.content_hash(first) == engine.content_hash(second)


def test_a_message_nobody_waits_for_is_refused():
    (spec, subs), _ = complaint_spec()
    workflow = engine.start_instance(spec, subs, unit_script_engine(), start_data())
    try:
        engine.send_message(workflow, "rating", {"score": 5})
    except engine.NothingWaitingError:
        return
    raise AssertionError("the triage stage waits for no rating")


def test_completing_an_unknown_or_finished_task_is_refused():
    (spec, subs), _ = complaint_spec()
    workflow = engine.start_instance(spec, subs, unit_script_engine(), start_data())
    (task,) = engine.ready_human_tasks(workflow)
    engine.complete_task(workflow, task.id, {"triage_decision": "reject", "reject_reason": "x"})
    for task_id in (task.id, "not-a-uuid", "00000000-0000-0000-0000-000000000000"):
        try:
            engine.complete_task(workflow, task_id, {})
        except engine.TaskNotReadyError:
            continue
        raise AssertionError(task_id)
