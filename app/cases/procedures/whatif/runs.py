"""What-if runs: the replay of every case of the weeks asked for, done by the scheduler rather than while a page waits
(a city's month is tens of thousands of cases: minutes). An owner asks for one; the same question asked again while it
is open is the same run; the scheduler takes the oldest open run, says how far it got as it goes, and keeps the
outcome -- the counts, the work per lane and week, and the cases that would fare differently. A run left `running` by
a scheduler that died (no heartbeat for STALE) is taken up again by the next one."""

from __future__ import annotations

import json
import logging
from datetime import timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import defer

from app import clock
from app.extensions import db
from app.models import WhatIfRun

from ... import errors
from ...errors import T
from ...transaction import transaction
from .replay import check_request, what_if

log = logging.getLogger(__name__)
STALE = timedelta(minutes=5)


def request_run(key: str, version: int, weeks: int, actor: str) -> WhatIfRun:
    """The open run of this question, or a new one queued for the scheduler (the same question asked at the same
    moment twice: the unique index on open questions lets one insert through, the other reads it)."""
    check_request(key, version, weeks)
    for _ in range(2):
        run = _open_run(key, version, weeks)
        if run is not None:
            return run
        try:
            with transaction():
                run = WhatIfRun(key=key, version=version, weeks=weeks, state="queued", requested_by=actor,
                                requested_at=clock.now(), replayed=0)
                db.session.add(run)
            return run
        except IntegrityError:
            continue
    raise errors.StaleStateError(T("the run was changed meanwhile; try again"))


def _open_run(key: str, version: int, weeks: int) -> WhatIfRun | None:
    return db.session.scalar(select(WhatIfRun).where(
        WhatIfRun.key == key, WhatIfRun.version == version, WhatIfRun.weeks == weeks,
        WhatIfRun.state.in_(("queued", "running"))))


def get_run(run_id: int) -> WhatIfRun:
    run = db.session.get(WhatIfRun, run_id)
    if run is None:
        raise errors.NotFoundError(T("no what-if run %(id)s", id=run_id))
    return run


def recent_runs(key: str, limit: int = 10) -> list[dict[str, Any]]:
    """The process's latest runs, newest first, without their results."""
    runs = db.session.scalars(select(WhatIfRun).options(defer(WhatIfRun.result)).where(WhatIfRun.key == key)
                              .order_by(WhatIfRun.id.desc()).limit(limit)).all()
    return [run_view(run, with_result=False) for run in runs]


def run_view(run: WhatIfRun, with_result: bool = True) -> dict[str, Any]:
    return {"id": run.id, "key": run.key, "version": run.version, "weeks": run.weeks, "state": run.state,
            "requested_by": run.requested_by, "requested_at": run.requested_at.isoformat(),
            "started_at": run.started_at.isoformat() if run.started_at else None,
            "finished_at": run.finished_at.isoformat() if run.finished_at else None, "replayed": run.replayed,
            "error": run.error, "result": json.loads(run.result) if with_result and run.result else None}


def run_next() -> int | None:
    """Take the oldest open run (or one a dead scheduler left) and do it; its id, or None when there was none.
    Two schedulers never take the same run: the one whose update changes the row has it."""
    now = clock.now()
    takeable = or_(WhatIfRun.state == "queued", (WhatIfRun.state == "running") & (WhatIfRun.heartbeat_at < now - STALE))
    run_id = db.session.scalar(select(WhatIfRun.id).where(takeable).order_by(WhatIfRun.id).limit(1))
    db.session.rollback()
    if run_id is None:
        return None
    with transaction():
        taken = db.session.execute(update(WhatIfRun).where(WhatIfRun.id == run_id, takeable).values(
            state="running", started_at=now, heartbeat_at=now, replayed=0)).rowcount
    if not taken:
        return None
    run = db.session.get(WhatIfRun, run_id)
    key, version, weeks = run.key, run.version, run.weeks
    try:
        result = what_if(key, version, weeks, limit=None, progress=lambda n: _progress(run_id, n))
    except errors.MinyiError as exc:  # the version or the active one went away since: said, not retried
        _finish(run_id, state="failed", error=str(exc.message))
    except Exception as exc:  # kept with the run (and logged) rather than taken up again and again
        log.exception("what-if run %s failed", run_id)
        _finish(run_id, state="failed", error=f"{type(exc).__name__}: {exc}")
    else:
        _finish(run_id, state="done", replayed=result["total"], result=json.dumps(result, ensure_ascii=False))
    return run_id


def _progress(run_id: int, replayed: int) -> None:
    """How far the run got, written apart from the replay's own reading (a connection of its own)."""
    with db.engine.begin() as connection:
        connection.execute(update(WhatIfRun).where(WhatIfRun.id == run_id).values(
            replayed=replayed, heartbeat_at=clock.now()))


def _finish(run_id: int, **values) -> None:
    db.session.rollback()
    with transaction():
        db.session.execute(update(WhatIfRun).where(WhatIfRun.id == run_id).values(finished_at=clock.now(), **values))
