"""A script engine for unit tests: the real deadline helpers on the official calendar, no database."""

from pathlib import Path
from zoneinfo import ZoneInfo

from app import clock, engine
from app.calendar import WorkCalendar
from app.calendar.helpers import deadline_helpers
from app.engine import make_script_engine

ROOT = Path(__file__).resolve().parents[2]
HELPERS = deadline_helpers(WorkCalendar, lambda: ZoneInfo("Asia/Shanghai"), clock.now)


def unit_script_engine():
    return make_script_engine(HELPERS)


def start_data() -> dict:
    """What intake hands a new complaint instance, received now."""
    return {"rehandled": False, "major": False, "category": "complaint", "received_at": clock.now().isoformat()}


def complaint_spec():
    parsed = engine.parse_bpmn((ROOT / "processes" / "complaint.bpmn").read_bytes(), "complaint.bpmn")
    spec_json = engine.spec_to_json(parsed.spec, parsed.subprocess_specs)
    return engine.spec_cache.get(engine.content_hash(spec_json), lambda: spec_json), spec_json
