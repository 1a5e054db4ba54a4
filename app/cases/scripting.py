"""What BPMN expressions can see: helper functions and the case variables set at start."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache

from app import engine

# The variables every instance starts with; lint evaluates timers against these.
SAMPLE_DATA = {
    "case_number": "20260101000001",
    "category": "complaint",
    "channel": "web",
    "received_at": datetime(2026, 1, 5, 1, 0, tzinfo=UTC).isoformat(),
    "department": None,
    "major": False,
    "rehandled": False,
}


def script_helpers() -> dict:
    return {}


@lru_cache(maxsize=1)
def script_engine():
    return engine.make_script_engine(script_helpers())
