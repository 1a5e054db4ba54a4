"""What-if replay: the cases of the last weeks run again, in memory, against a version not yet live (a draft) and
against the active one, each with the form data its people actually submitted, at the moments they submitted it.
For each case: the path it would take, where it would stop (a step its recorded work does not reach) or fail, and
its deadlines and breaches under each version's clocks; summed up as the differences an owner decides on -- cases
that would route differently, be late, stop or fail -- and the work each lane would receive week by week.
Nothing is written: the engine runs on copies, the clock is read as each recorded moment (this thread only)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import func, select, tuple_

from app import clock, engine
from app.extensions import db
from app.models import Case, LedgerEntry, ProcessInstance, ProcessVersion, Task

from ... import errors
from ...errors import T
from ...uow.scripting import script_engine
from ...uow.sla import sla_clock
from ...uow.versions import spec_for

DEFAULT_WEEKS = 8
MAX_WEEKS = 52
MAX_CASES = 500  # the newest cases a page replays while it waits (~10 ms a case for both versions); a run does all
PROGRESS_EVERY = 100  # a run says how far it got after every this many cases


@dataclass
class Step:
    name: str
    title: str
    lane: str | None
    opened_at: datetime
    deadline: datetime | None = None
    done_at: datetime | None = None

    @property
    def late(self) -> bool:
        return self.deadline is not None and self.done_at is not None and self.done_at > self.deadline


@dataclass
class Replay:
    steps: list[Step] = field(default_factory=list)
    end: str = "completed"  # completed | waiting (its recorded work ends here, as the case now) | stopped | failed
    where: list[str] = field(default_factory=list)  # the steps it stopped or waits at
    titles: dict[str, str] = field(default_factory=dict)  # step name -> its title
    problem: str | None = None
    status: str | None = None  # the last status the process set

    def summary(self) -> dict[str, Any]:
        return {"path": [s.name for s in self.steps], "late": [s.name for s in self.steps if s.late],
                "deadlines": {s.name: s.deadline.isoformat() for s in self.steps if s.deadline},
                "end": self.end, "where": self.where, "problem": self.problem, "status": self.status,
                "titles": self.titles}


def what_if(key: str, version: int, weeks: int = DEFAULT_WEEKS, limit: int | None = MAX_CASES,
            progress: Callable[[int], None] | None = None) -> dict[str, Any]:
    """Replay the last `weeks` of cases of process `key` against `version` and against the active version: the newest
    `limit` of them (None: all, and only the cases that fare differently are listed), `progress(replayed)` called
    after every PROGRESS_EVERY cases."""
    active = check_request(key, version, weeks)
    since = clock.now() - timedelta(weeks=weeks)
    candidate, current = spec_for(_version_row(key, version).spec_hash), spec_for(active.spec_hash)
    cases, differ, late, stopped, would_breach, replayed = [], 0, 0, 0, [], 0
    workload: dict[str, Counter] = {"active": Counter(), "draft": Counter()}
    for case, instance in _recent_cases(key, since, limit):
        recorded, start = _recorded_steps(case.id), _start_data(instance)
        was, would = replay(current, start, case.received_at, recorded), replay(candidate, start, case.received_at, recorded)
        for name, result in (("active", was), ("draft", would)):
            workload[name].update((s.lane or "-", _week(s.opened_at)) for s in result.steps)
        flags = {"route": [s.name for s in was.steps] != [s.name for s in would.steps] or was.status != would.status,
                 "late": bool({s.name for s in would.steps if s.late} - {s.name for s in was.steps if s.late}),
                 "stops": would.end in ("stopped", "failed") and was.end not in ("stopped", "failed")}
        differ += flags["route"]
        late += flags["late"]
        stopped += flags["stops"]
        if any(s.late for s in would.steps):
            would_breach.append(case.number)
        if limit is not None or any(flags.values()):
            cases.append({"case_number": case.number, "received_at": case.received_at.isoformat(), "differs": flags,
                          "active": was.summary(), "draft": would.summary()})
        replayed += 1
        if progress is not None and replayed % PROGRESS_EVERY == 0:
            progress(replayed)
    db.session.rollback()
    lanes = sorted({lane for counts in workload.values() for lane, _ in counts})
    weeks_seen = sorted({week for counts in workload.values() for _, week in counts})
    return {"key": key, "version": version, "active_version": active.version, "weeks": weeks, "since": since.isoformat(),
            "total": replayed, "received": _received(key, since) if limit is not None else replayed,
            "capped": limit is not None and replayed == limit, "route_differs": differ, "later": late, "stops_or_fails": stopped,
            "would_breach": would_breach, "workload": [
                {"lane": lane, "week": week, "active": workload["active"][(lane, week)],
                 "draft": workload["draft"][(lane, week)]} for lane in lanes for week in weeks_seen],
            "cases": cases}


def page_limit() -> int:
    """How many cases a replay asked for by a page or the API's GET does at most (MINYI_WHAT_IF_PAGE_CASES)."""
    return int(current_app.config.get("MINYI_WHAT_IF_PAGE_CASES", MAX_CASES))


def check_request(key: str, version: int, weeks: int) -> ProcessVersion:
    """The active version a replay of `version` over `weeks` compares with; the request's mistakes refused."""
    if not isinstance(weeks, int) or not 1 <= weeks <= MAX_WEEKS:
        raise errors.ValidationFailedError(T("weeks must be a whole number from 1 to %(max)s", max=MAX_WEEKS),
                                           {"weeks": [T("from 1 to %(max)s", max=MAX_WEEKS)]})
    rows = {row.version: row for row in db.session.scalars(select(ProcessVersion).where(ProcessVersion.key == key))}
    if not rows:
        raise errors.NotFoundError(T("process '%(key)s' does not exist", key=key))
    if version not in rows:
        raise errors.NotFoundError(T('version %(number)s of %(key)s does not exist', number=version, key=key))
    active = next((row for row in rows.values() if row.active), None)
    if active is None:
        raise errors.ConflictError(T("process '%(key)s' has no active version to compare with", key=key))
    return active


def _version_row(key: str, version: int) -> ProcessVersion:
    return db.session.scalar(select(ProcessVersion).where(ProcessVersion.key == key, ProcessVersion.version == version))


def replay(specs, start: dict[str, Any], received_at: datetime, recorded: list[tuple[str, datetime, dict]]) -> Replay:
    """One case run again on `specs`: started at `received_at` with its start data, each recorded step submitted at
    its moment with its data while the step is waiting; timers due meanwhile fire."""
    out, log, opened = Replay(), engine.StepLog(), {}
    try:
        with clock.at(received_at), log.recording():
            workflow = engine.start_instance(*specs, script_engine(), dict(start))
        _note_open(workflow, opened, out, received_at)
        for name, at, data in recorded:
            with clock.at(at), log.recording():
                engine.wake_timers(workflow)
            _note_open(workflow, opened, out, at)
            ready = [t for t in engine.ready_human_tasks(workflow) if t.name == name]
            if not ready:
                if engine.is_completed(workflow):
                    break
                out.end, out.where = "stopped", sorted(t.name for t in engine.ready_human_tasks(workflow))
                return _with_status(out, log)
            with clock.at(at), log.recording():
                engine.complete_task(workflow, ready[0].id, data)
            opened.pop(ready[0].id).done_at = at
            _note_open(workflow, opened, out, at)
    except (engine.ScriptError, errors.ProcessFailedError) as exc:
        out.end, out.problem = "failed", str(exc)
        return _with_status(out, log)
    if not engine.is_completed(workflow):
        out.end, out.where = "waiting", sorted(t.name for t in engine.ready_human_tasks(workflow))
    return _with_status(out, log)


def _note_open(workflow, opened: dict[str, Step], out: Replay, at: datetime) -> None:
    for human in engine.ready_human_tasks(workflow):
        if human.id not in opened:
            with clock.at(at):
                sla = sla_clock(workflow, human, at)
            opened[human.id] = Step(human.name, human.title, human.lane, at, sla.breach if sla else None)
            out.steps.append(opened[human.id])
            out.titles[human.name] = human.title


def _with_status(out: Replay, log) -> Replay:
    statuses = [u["status"] for u in log.case_updates if "status" in u]
    out.status = statuses[-1] if statuses else None
    return out


def _recent(key: str, since: datetime):
    return (select(Case, ProcessInstance).join(ProcessInstance, ProcessInstance.case_id == Case.id)
            .join(ProcessVersion, ProcessVersion.id == ProcessInstance.process_version_id)
            .where(ProcessVersion.key == key, Case.received_at >= since))


def _recent_cases(key: str, since: datetime, limit: int | None) -> Iterator[tuple[Case, ProcessInstance]]:
    """The cases received since `since` whose process was `key`, oldest first: the newest `limit` of them, or all
    (read a thousand at a time, each batch let go once replayed)."""
    if limit is not None:
        rows = db.session.execute(_recent(key, since).order_by(Case.received_at.desc(), Case.id.desc()).limit(limit)).all()
        yield from ((case, instance) for case, instance in reversed(rows))
        return
    after: tuple[datetime, int] | None = None
    while True:
        query = _recent(key, since).order_by(Case.received_at, Case.id).limit(1000)
        if after is not None:
            query = query.where(tuple_(Case.received_at, Case.id) > tuple_(*after))
        rows = db.session.execute(query).all()
        yield from ((case, instance) for case, instance in rows)
        if len(rows) < 1000:
            return
        after = (rows[-1][0].received_at, rows[-1][0].id)
        db.session.expunge_all()


def _received(key: str, since: datetime) -> int:
    return db.session.scalar(select(func.count()).select_from(_recent(key, since).subquery()))


def _recorded_steps(case_id: int) -> list[tuple[str, datetime, dict]]:
    """(step name, when, submitted data) of every step people completed, in order."""
    entries = db.session.execute(select(LedgerEntry.at, LedgerEntry.details).where(
        LedgerEntry.case_id == case_id, LedgerEntry.action == "task.completed").order_by(LedgerEntry.id)).all()
    names = dict(db.session.execute(select(Task.id, Task.name).where(Task.case_id == case_id)).all())
    return [(names[d["task"]], at, d.get("data") or {}) for at, d in entries if d.get("task") in names]


def _start_data(instance: ProcessInstance) -> dict[str, Any]:
    specs = spec_for(instance.process_version.spec_hash)
    return engine.start_data_of(engine.state_from_json(instance.state, *specs, script_engine()))


def _week(moment: datetime) -> str:
    year, week, _ = moment.isocalendar()
    return f"{year}-W{week:02d}"
