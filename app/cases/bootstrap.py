"""Reference data every database needs: what the migrations seed, for databases made with
`create_all` (tests, benchmarks). Idempotent."""

from __future__ import annotations

from .procedures.catalogue import ensure_default_catalogue
from .procedures.lanes import ensure_default_lanes


def ensure_reference_data() -> None:
    """The default lanes and the default catalogue (case-number counters are made by the first case of each day)."""
    ensure_default_lanes()
    ensure_default_catalogue()
