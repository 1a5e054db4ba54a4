"""Serialization with the spec split from the state.

A deployed version's spec is serialized once (`spec_to_json`) and stored keyed by its
content hash; an instance's state (`state_to_json`) carries no spec. Loading joins the
two again, reusing spec objects already restored in this process.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from decimal import Decimal
from threading import Lock
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnWorkflowConverter, WorkflowConverter
from SpiffWorkflow.bpmn.serializer.helpers.encoder import create_encoder
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG


class StateOnlyWorkflowConverter(BpmnWorkflowConverter):
    """Converts a top-level workflow without its spec; restores it onto a given spec."""

    def to_dict(self, workflow):
        dct = WorkflowConverter.to_dict(self, workflow)
        dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
        dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
        return dct

    def from_dict(self, dct, spec=None, subprocess_specs=None):
        workflow = self.target_class(spec, subprocess_specs, deserializing=True)
        workflow.tasks = self.mapping_from_dict(dct["tasks"], _uuid, workflow=workflow)
        workflow.task_tree = workflow.tasks.get(_uuid(dct["root"]))
        self.set_default_attributes(workflow, dct)
        self.subprocesses_from_dict(dct["subprocesses"], workflow)
        workflow.bpmn_events = self.registry.restore(dct.pop("bpmn_events", []))
        return workflow


def _uuid(value):
    return UUID(value)


def _make_registry():
    config = dict(SPIFF_CONFIG)
    config[BpmnWorkflow] = StateOnlyWorkflowConverter
    registry = BpmnWorkflowSerializer.configure(config)
    registry.register(date, lambda d: {"value": d.isoformat()}, lambda dct: date.fromisoformat(dct["value"]), "date")
    registry.register(Decimal, lambda d: {"value": str(d)}, lambda dct: Decimal(dct["value"]), "decimal")
    return registry


serializer = BpmnWorkflowSerializer(registry=_make_registry())
# Encoder mode leaves leaf values (datetimes, UUIDs) to the JSON encoder: faster, and set once
# so that threads never flip a shared flag under each other.
serializer.registry._encoder_mode = True
_Encoder = create_encoder(serializer.registry)
SERIALIZER_VERSION = serializer.VERSION


def spec_to_json(spec, subprocess_specs) -> str:
    """The spec of one deployed version, as canonical JSON."""
    registry = serializer.registry
    dct = {
        "spec": registry.convert(spec),
        "subprocess_specs": {name: registry.convert(sp) for name, sp in subprocess_specs.items()},
    }
    return json.dumps(dct, sort_keys=True, ensure_ascii=False, separators=(",", ":"), cls=_Encoder)


def content_hash(text: str | bytes) -> str:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return hashlib.sha256(data).hexdigest()


class SpecCache:
    """Restored spec objects by content hash; specs are immutable once deployed, so sharing is safe."""

    def __init__(self):
        self._specs: dict[str, tuple[object, dict]] = {}
        self._lock = Lock()

    def get(self, spec_hash: str, spec_json_loader) -> tuple[object, dict]:
        found = self._specs.get(spec_hash)
        if found is None:
            dct = json.loads(spec_json_loader())
            registry = serializer.registry
            spec = registry.restore(dct["spec"])
            subs = {name: registry.restore(sp) for name, sp in dct["subprocess_specs"].items()}
            with self._lock:
                found = self._specs.setdefault(spec_hash, (spec, subs))
        return found

    def put(self, spec_hash: str, spec, subprocess_specs) -> None:
        with self._lock:
            self._specs.setdefault(spec_hash, (spec, subprocess_specs))


spec_cache = SpecCache()


# A finished instance is stored compacted (see `compacted`); benchmarks/storage.py turns this off to measure it.
COMPACT_FINISHED = True
COMPACTED_KEY = "minyi_compacted"  # true in a compacted state: its tree was cut on purpose


def state_to_json(workflow) -> str:
    dct = serializer.registry.convert(workflow)
    dct[serializer.VERSION_KEY] = serializer.VERSION
    if COMPACT_FINISHED and workflow.is_completed():
        dct = compacted(dct)
    return json.dumps(dct, ensure_ascii=False, separators=(",", ":"), cls=_Encoder)


def compacted(dct: dict) -> dict:
    """A finished workflow's state reduced to what may still be read once it is finished.

    Nothing runs on a finished instance any more, and its history is in Minyi's own tables: the ledger
    (every step, who, when, with its data: the case page's timeline and diagram marks), the task rows and
    the case. The task tree (ids, states, per-task data, ~90 % of the state) shrinks to its root, so the
    state still loads, as a completed workflow with nothing ready and no timer. What stays: the final
    process data (script results such as computed periods are nowhere else) and the events it left.
    """
    tasks = dct["tasks"]
    root = dict(tasks[dct["root"]], children=[], data={}, delta={}, internal_data={})
    return {**dct, "tasks": {root["id"]: root}, "last_task": None, "subprocesses": {}, COMPACTED_KEY: True}


def state_from_json(state_json: str, spec, subprocess_specs, script_engine):
    dct = json.loads(state_json)
    serializer.migrate(dct)
    workflow = serializer.registry.restore(dct, spec=spec, subprocess_specs=subprocess_specs)
    workflow.script_engine = script_engine
    return workflow
