"""Reference data every database needs: what the migrations seed, for databases made with
`create_all` (tests, benchmarks). Idempotent."""

from __future__ import annotations

from app.extensions import db
from app.models import Counter

from .procedures.catalogue import ensure_default_catalogue
from .procedures.lanes import ensure_default_lanes
from .transaction import transaction


def ensure_reference_data() -> None:
    """The case-number counter, the default lanes and the default catalogue."""
    with transaction():
        if db.session.get(Counter, "case") is None:
            db.session.add(Counter(name="case", value=0))
    ensure_default_lanes()
    ensure_default_catalogue()
