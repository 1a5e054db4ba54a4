"""The sweep fires each moment once, at its time, on a controllable clock -- also after downtime and
with two sweeps at once."""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from app import clock
from app.cases.clocks.sla_sweep import fire_due_sla_moments
from app.cases.clocks.timers import fire_due_timers
from app.cases.intake.appeal import parse_appeal
from app.cases.intake.registration import register_case
from app.cases.procedures.processes import deploy_bpmn
from app.extensions import db
from app.models import LedgerEntry, Notice, Notification, Task, Timer
from tests.helpers import COMPLAINT
from tests.processes import one_clocked_task


@pytest.fixture
def sla_case(app, staff, frozen):
    deploy_bpmn(one_clocked_task("working_days(2)"), "complaint.bpmn", "test")
    return register_case(parse_appeal(COMPLAINT), "intake1").number


def _triage():
    db.session.expire_all()
    return db.session.scalar(select(Task).where(Task.name == "triage"))


def _due(kind):
    return db.session.scalar(select(Timer.due_at).where(Timer.kind == kind))


def test_nothing_fires_before_its_time(sla_case):
    clock.freeze(_due("warning") - timedelta(seconds=1))
    assert fire_due_timers() == 0
    assert _triage().sla_state is None


def test_a_moment_fires_only_once_its_time_is_strictly_past(sla_case):
    clock.freeze(_due("warning"))
    assert fire_due_timers() == 0
    clock.advance(timedelta(microseconds=1))
    assert fire_due_timers() == 1


def test_moments_due_while_nothing_ran_fire_at_the_next_sweep_each_once(sla_case):
    clock.advance(timedelta(days=30))
    assert fire_due_timers() == 1
    assert fire_due_timers() == 0
    assert _triage().sla_state == "overdue" and _triage().state == "ready"
    assert sorted(n.kind for n in db.session.scalars(select(Notification))) == ["breach", "escalation", "warning"]
    assert sorted(n.kind for n in db.session.scalars(select(Notice))) == ["breach", "escalation"]
    fired = [e.action for e in db.session.scalars(select(LedgerEntry).where(LedgerEntry.action.like("sla.%")))]
    assert fired == ["sla.warning", "sla.breach", "sla.escalation"]
    assert db.session.query(Timer).count() == 0


def test_two_sweeps_at_once_fire_each_moment_once(app, sla_case):
    clock.advance(timedelta(days=30))
    barrier, results = threading.Barrier(2), []

    def sweep():
        with app.app_context():
            barrier.wait()
            try:
                results.append(fire_due_timers())
            except Exception as exc:  # a lock error would show up here
                results.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert all(isinstance(r, int) for r in results) and sum(results) == 1, results
    db.session.expire_all()
    assert db.session.query(Notice).count() == 2
    assert db.session.query(Notification).count() == 3


def test_a_burst_of_due_moments_is_shared_by_two_schedulers_and_each_fires_once(app, sla_case):
    for _ in range(29):
        register_case(parse_appeal(COMPLAINT), "intake1")
    assert db.session.query(Timer).count() == 90
    clock.advance(timedelta(days=30))
    barrier, took = threading.Barrier(2), []

    def scheduler():
        with app.app_context():
            barrier.wait()
            mine = 0
            try:
                while fired := fire_due_sla_moments(limit=7):  # small batches, so the two interleave
                    mine += len(fired)
                took.append(mine)
            except Exception as exc:  # a lock error would show up here
                took.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=scheduler) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert all(isinstance(n, int) for n in took), took
    db.session.expire_all()
    assert db.session.query(Timer).count() == 0
    assert db.session.query(Notice).count() == 60 and db.session.query(Notification).count() == 90
    fired = db.session.scalars(select(LedgerEntry.case_id).where(LedgerEntry.action.like("sla.%"))).all()
    assert len(fired) == 90 and len(set(fired)) == 30  # three moments for each case, none twice
