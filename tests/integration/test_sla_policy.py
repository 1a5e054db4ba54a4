"""SLA clocks are a policy on the user task (`due`): Minyi keeps the warning, breach and escalation
moments as timer rows, fires them in the sweep and raises supervision notices."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from app import clock
from app.cases.clocks.timers import fire_due_timers
from app.cases.intake.appeal import parse_appeal
from app.cases.intake.registration import register_case
from app.cases.procedures.processes import deploy_bpmn
from app.extensions import db
from app.models import LedgerEntry, Notice, Notification, Task, Timer
from tests.helpers import COMPLAINT
from tests.processes import one_clocked_task

END_OF_DAY_SHANGHAI = lambda y, m, d: datetime(y, m, d, 15, 59, 59, tzinfo=UTC)  # noqa: E731 - 23:59:59 +08:00


def _register():
    return register_case(parse_appeal(COMPLAINT), "intake1").number


def _rows():
    db.session.expire_all()
    return {t.kind: t for t in db.session.scalars(select(Timer))}


def _task():
    db.session.expire_all()
    return db.session.scalar(select(Task).where(Task.name == "triage"))


def _actions():
    return [e.action for e in db.session.scalars(select(LedgerEntry).order_by(LedgerEntry.id))]


def test_a_task_gets_its_breach_warning_and_escalation_moments_from_its_due_property(app, staff, frozen):
    deploy_bpmn(one_clocked_task("working_days(2)"), "complaint.bpmn", "test")
    _register()
    breach = END_OF_DAY_SHANGHAI(2026, 3, 4)  # Monday 09:00 + 2 working days -> Wednesday 24:00
    rows = _rows()
    assert _task().due_at == breach
    assert sorted(rows) == ["breach", "escalation", "warning"]
    assert rows["breach"].due_at == breach and rows["breach"].unit == "working"
    assert rows["warning"].due_at == frozen + (breach - frozen) * 0.8
    assert rows["escalation"].due_at == END_OF_DAY_SHANGHAI(2026, 3, 9)  # 3 working days after Wednesday
    assert {r.task_id for r in rows.values()} == {_task().id}


def test_warning_breach_and_escalation_fire_once_each_at_their_time(app, staff, frozen):
    deploy_bpmn(one_clocked_task("working_days(2)"), "complaint.bpmn", "test")
    number = _register()
    rows = _rows()
    clock.freeze(rows["warning"].due_at - timedelta(seconds=1))
    assert fire_due_timers() == 0
    clock.freeze(rows["warning"].due_at + timedelta(seconds=1))
    assert fire_due_timers() == 1 and fire_due_timers() == 0
    assert _task().sla_state == "at_risk"

    clock.freeze(rows["breach"].due_at + timedelta(seconds=1))
    fire_due_timers()
    assert _task().sla_state == "overdue"
    notice = db.session.scalar(select(Notice))
    assert (notice.kind, notice.addressee_group, notice.reply_by) == ("breach", "intake", rows["escalation"].due_at)
    assert number in notice.message

    clock.freeze(rows["escalation"].due_at + timedelta(seconds=1))
    fire_due_timers()
    fire_due_timers()
    notices = db.session.scalars(select(Notice).order_by(Notice.id)).all()
    assert [(n.kind, n.addressee_group) for n in notices] == [("breach", "intake"), ("escalation", "leader")]
    assert sorted(n.kind for n in db.session.scalars(select(Notification))) == ["breach", "escalation", "warning"]
    assert [a for a in _actions() if a.startswith("sla.")] == ["sla.warning", "sla.breach", "sla.escalation"]
    assert _rows() == {}


def test_a_warning_is_not_fired_when_its_task_was_completed_before_the_sweep_came(client, app, staff, frozen):
    deploy_bpmn(one_clocked_task("working_days(2)"), "complaint.bpmn", "test")
    _register()
    clock.freeze(_rows()["breach"].due_at - timedelta(hours=1))  # past the warning, nothing swept yet
    done = client.post(f"/api/v1/tasks/{_task().id}/complete", json={}, headers=staff.headers("intake1"))
    assert done.status_code == 200
    assert fire_due_timers() == 0
    assert _rows() == {} and "sla.warning" not in _actions() and db.session.scalar(select(Notification)) is None


def test_calendar_day_clocks_keep_their_unit_and_warn_share_and_escalate_after_are_per_task(app, staff, frozen):
    deploy_bpmn(one_clocked_task("calendar_days(10)", warn_share="0.5", escalate_after="calendar_days(1)"),
                "complaint.bpmn", "test")
    _register()
    rows = _rows()
    breach = END_OF_DAY_SHANGHAI(2026, 3, 12)
    assert rows["breach"].due_at == breach and rows["breach"].unit == "days"
    assert rows["warning"].due_at == frozen + (breach - frozen) * 0.5
    assert rows["escalation"].due_at == END_OF_DAY_SHANGHAI(2026, 3, 13) and rows["escalation"].unit == "days"


def test_a_due_expression_that_fails_stops_the_step_with_a_clear_error(client, app, staff, frozen):
    deploy_bpmn(one_clocked_task("working_days(2)"), "complaint.bpmn", "test")
    bad = one_clocked_task("working_days(no_such_variable)")
    from app.cases.errors import ProcessFailedError, ProcessRejectedError

    try:
        deploy_bpmn(bad, "complaint.bpmn", "test")
    except ProcessRejectedError as exc:
        assert exc.details["problems"][0]["element"] == "triage"
        assert "due" in exc.details["problems"][0]["message"]
    else:
        raise AssertionError("lint let a due expression with an unknown name through")
    assert ProcessFailedError  # the run-time path is covered by the incident tests


def test_a_process_sets_warn_share_and_escalate_after_once_for_all_its_tasks_and_a_task_may_override(app, staff, frozen):
    xml = one_clocked_task("calendar_days(10)").replace(
        b'<bpmn:process id="complaint" isExecutable="true">',
        b'<bpmn:process id="complaint" isExecutable="true"><bpmn:extensionElements><spiffworkflow:properties>'
        b'<spiffworkflow:property name="warn_share" value="0.5"/><spiffworkflow:property name="escalate_after" value="P1D"/>'
        b"</spiffworkflow:properties></bpmn:extensionElements>")
    deploy_bpmn(xml, "complaint.bpmn", "test")
    _register()
    rows = _rows()
    breach = END_OF_DAY_SHANGHAI(2026, 3, 12)
    assert rows["warning"].due_at == frozen + (breach - frozen) * 0.5
    assert rows["escalation"].due_at == breach + timedelta(days=1) and rows["escalation"].unit == "calendar"
    deploy_bpmn(xml.replace(b'name="due" value="calendar_days(10)"', b'name="due" value="calendar_days(10)"/>'
                            b'<spiffworkflow:property name="warn_share" value="0.9"'), "complaint.bpmn", "test")
    _register()
    db.session.expire_all()
    warnings = sorted(t.due_at for t in db.session.scalars(select(Timer).where(Timer.kind == "warning")))
    assert warnings[-1] == frozen + (breach - frozen) * 0.9


def test_moments_of_a_task_a_bpmn_timer_cancels_in_the_same_sweep_do_not_fire(app, staff, frozen):
    from tests.processes import bpmn, flow, props

    deploy_bpmn(bpmn(
        '<bpmn:startEvent id="start"/>' + flow("f1", "start", "triage")
        + f'<bpmn:userTask id="triage" name="Triage">{props(due="P1D")}</bpmn:userTask>'
        + flow("f2", "triage", "end") + '<bpmn:endEvent id="end"/>'
        + '<bpmn:boundaryEvent id="expire" attachedToRef="triage"><bpmn:timerEventDefinition>'
        "<bpmn:timeDuration>P2D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>"
        + flow("f3", "expire", "expired") + '<bpmn:endEvent id="expired"/>',
        {"Intake": ["triage"]}), "complaint.bpmn", "test")
    _register()
    clock.advance(timedelta(days=5))  # warning, breach, escalation and the interrupting timer all past
    assert fire_due_timers() == 1
    assert _task().state == "cancelled" and _rows() == {}
    assert "timer.fired" in _actions() and not any(a.startswith("sla.") for a in _actions())
    assert db.session.scalar(select(Notice)) is None
