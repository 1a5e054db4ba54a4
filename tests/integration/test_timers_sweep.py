"""SLA timers fire once, at their time, on a controllable clock: flags, notifications, notice tasks."""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from app import clock
from app.cases.intake import register_case
from app.cases.processes import deploy_bpmn
from app.cases.timers import fire_due_timers
from app.extensions import db
from app.models import LedgerEntry, Notification, OutboxMessage, Task, Timer
from tests.conftest import COMPLAINT
from tests.conftest import FROZEN_AT as T0

SLA_PROCESS = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" id="d" targetNamespace="https://minyi.test">
  <bpmn:process id="complaint" isExecutable="true">
    <bpmn:laneSet id="ls">
      <bpmn:lane id="l1" name="Intake"><bpmn:flowNodeRef>triage</bpmn:flowNodeRef></bpmn:lane>
      <bpmn:lane id="l2" name="Supervision"><bpmn:flowNodeRef>notice</bpmn:flowNodeRef></bpmn:lane>
    </bpmn:laneSet>
    <bpmn:startEvent id="start"/>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="triage"/>
    <bpmn:userTask id="triage" name="Triage"/>
    <bpmn:sequenceFlow id="f2" sourceRef="triage" targetRef="end"/>
    <bpmn:endEvent id="end"/>
    <bpmn:boundaryEvent id="warn" name="Triage at risk" attachedToRef="triage" cancelActivity="false">
      <bpmn:extensionElements><spiffworkflow:properties>
        <spiffworkflow:property name="role" value="warning"/></spiffworkflow:properties></bpmn:extensionElements>
      <bpmn:timerEventDefinition><bpmn:timeDuration>P1D</bpmn:timeDuration></bpmn:timerEventDefinition>
    </bpmn:boundaryEvent>
    <bpmn:sequenceFlow id="f3" sourceRef="warn" targetRef="warn_end"/>
    <bpmn:endEvent id="warn_end"/>
    <bpmn:boundaryEvent id="breach" name="Triage overdue" attachedToRef="triage" cancelActivity="false">
      <bpmn:extensionElements><spiffworkflow:properties>
        <spiffworkflow:property name="role" value="breach"/>
        <spiffworkflow:property name="deadline" value="task"/></spiffworkflow:properties></bpmn:extensionElements>
      <bpmn:timerEventDefinition><bpmn:timeDuration>P2D</bpmn:timeDuration></bpmn:timerEventDefinition>
    </bpmn:boundaryEvent>
    <bpmn:sequenceFlow id="f4" sourceRef="breach" targetRef="notice"/>
    <bpmn:userTask id="notice" name="Supervision notice">
      <bpmn:extensionElements><spiffworkflow:properties>
        <spiffworkflow:property name="notify" value="notice"/></spiffworkflow:properties></bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="f5" sourceRef="notice" targetRef="notice_end"/>
    <bpmn:endEvent id="notice_end"/>
  </bpmn:process>
</bpmn:definitions>
"""


@pytest.fixture
def sla_case(app, staff, frozen):
    deploy_bpmn(SLA_PROCESS.encode(), "complaint.bpmn", "test")
    intake = register_case({**COMPLAINT, "petitioner": dict(COMPLAINT["petitioner"])}, "intake1")
    return intake.number


def _triage():
    return db.session.scalar(select(Task).where(Task.name == "triage"))


def test_a_task_takes_its_due_time_from_its_deadline_timer(sla_case):
    assert _triage().due_at == T0 + timedelta(days=2)
    assert sorted((t.name, t.due_at) for t in db.session.scalars(select(Timer))) == [
        ("breach", T0 + timedelta(days=2)), ("warn", T0 + timedelta(days=1))]


def test_nothing_fires_before_its_time(sla_case):
    clock.advance(timedelta(hours=23))
    assert fire_due_timers() == 0
    assert _triage().sla_state is None


def test_the_warning_then_the_breach_fire_once_each_with_a_notice_task_and_notifications(sla_case):
    clock.advance(timedelta(days=1, seconds=1))
    assert fire_due_timers() == 1
    db.session.expire_all()
    assert _triage().sla_state == "at_risk"
    clock.advance(timedelta(days=1))
    assert fire_due_timers() == 1
    assert fire_due_timers() == 0
    db.session.expire_all()
    assert _triage().sla_state == "overdue" and _triage().state == "ready"
    notice = db.session.scalar(select(Task).where(Task.name == "notice"))
    assert notice.group == "supervisor" and notice.state == "ready"
    kinds = sorted(n.kind for n in db.session.scalars(select(Notification)))
    assert kinds == ["breach", "notice", "warning"]
    assert db.session.query(OutboxMessage).count() == 3
    fired = [e.details["timer"] for e in db.session.scalars(select(LedgerEntry).where(LedgerEntry.action == "timer.fired"))]
    assert fired == ["warn", "breach"]
    assert db.session.query(Timer).count() == 0


def test_timers_due_while_nothing_ran_fire_at_the_next_sweep(sla_case):
    clock.advance(timedelta(days=5))
    assert fire_due_timers() == 1
    db.session.expire_all()
    assert _triage().sla_state == "overdue"
    assert sorted(n.kind for n in db.session.scalars(select(Notification))) == ["breach", "notice", "warning"]


def test_two_sweeps_at_once_fire_each_timer_once(app, sla_case):
    clock.advance(timedelta(days=3))
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
    assert sorted(r for r in results if isinstance(r, int)) in ([0, 1], [1]) and sum(r for r in results if isinstance(r, int)) == 1
    db.session.expire_all()
    assert db.session.query(Task).filter_by(name="notice").count() == 1
    assert db.session.query(Notification).count() == 3
