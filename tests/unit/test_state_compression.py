"""Engine states are stored compressed and a finished one compacted: both read back exactly, or fail loudly."""

import json
import zlib

import pytest

from app import engine
from app.engine import serialization
from app.models.compression import CorruptStoredTextError, compress_text, decompress_text
from tests.unit.engine_env import complaint_spec, start_data, unit_script_engine

STEPS = [
    {"triage_decision": "accept", "department": "ENV"},
    {"facts": "夜间施工属实", "responsibility": "施工单位", "measures": "责令停止夜间施工"},
    {"head_decision": "approve", "major": False},
    {"answer": "已责令施工单位停止夜间施工。", "feedback_channel": "phone"},
]


def _run(until_closed=True):
    (spec, subs), _ = complaint_spec()
    workflow = engine.start_instance(spec, subs, unit_script_engine(), start_data())
    for data in STEPS:
        engine.complete_task(workflow, engine.ready_human_tasks(workflow)[0].id, dict(data))
    if until_closed:
        engine.send_message(workflow, "rating", {"score": 5, "comment": "满意"})
    return workflow, spec, subs


def test_a_state_round_trips_through_compression_exactly_and_much_smaller():
    workflow, _, _ = _run(until_closed=False)
    state = engine.state_to_json(workflow)
    stored = compress_text(state)
    assert decompress_text(stored) == state
    assert len(stored) < len(state.encode("utf-8")) / 4


def test_plain_zlib_as_the_migration_writes_it_reads_back_too():
    assert decompress_text(zlib.compress("{\"答复\":\"已办结\"}".encode())) == "{\"答复\":\"已办结\"}"


@pytest.mark.parametrize("damage", [
    lambda b: b[:-4],  # truncated
    lambda b: b + b"\x00",  # followed by other bytes
    lambda b: b[:12] + bytes([b[12] ^ 0x55]) + b[13:],  # a flipped byte
    lambda b: b"",
    lambda b: b"\x78\xbb\x00\x00\x00\x01" + b[6:],  # a dictionary nobody knows
])
def test_a_damaged_value_is_a_loud_error_never_an_empty_or_partial_state(damage):
    stored = compress_text(engine.state_to_json(_run(until_closed=False)[0]))
    with pytest.raises(CorruptStoredTextError):
        decompress_text(damage(stored))


def test_a_finished_state_is_compacted_and_still_loads_as_completed_with_its_final_data():
    workflow, spec, subs = _run()
    state = engine.state_to_json(workflow)
    stored = json.loads(state)
    assert len(stored["tasks"]) == 1 and stored[serialization.COMPACTED_KEY] is True
    restored = engine.state_from_json(state, spec, subs, unit_script_engine())
    assert engine.is_completed(restored)
    assert engine.ready_human_tasks(restored) == [] and engine.pending_timers(restored) == []
    assert restored.data["answer"] == "已责令施工单位停止夜间施工。" and restored.data["satisfaction"] == 5
    assert engine.state_to_json(restored) == state  # compacting again changes nothing


def test_a_running_state_keeps_its_whole_tree(monkeypatch):
    workflow, _, _ = _run(until_closed=False)
    state = json.loads(engine.state_to_json(workflow))
    assert serialization.COMPACTED_KEY not in state and len(state["tasks"]) > 10


def test_compaction_leaves_a_closed_case_a_fraction_of_its_whole_state(monkeypatch):
    workflow, _, _ = _run()
    compacted = compress_text(engine.state_to_json(workflow))
    monkeypatch.setattr(serialization, "COMPACT_FINISHED", False)
    whole = compress_text(engine.state_to_json(workflow))
    assert len(compacted) < len(whole) / 2
