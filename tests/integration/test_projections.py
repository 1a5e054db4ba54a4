"""Projections that are right with parallel branches and multi-instance tasks: case fields change
only through set_case(), tasks and timers are keyed by the engine's task id."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from app.cases.intake.appeal import parse_appeal
from app.cases.intake.registration import register_case
from app.cases.procedures.processes import deploy_bpmn
from app.extensions import db
from app.models import Case, Task, Timer
from tests.helpers import COMPLAINT
from tests.processes import coordinated_help, parallel_answers


def _register():
    return register_case(parse_appeal(COMPLAINT), "intake1").number


def _open(name=None):
    db.session.expire_all()
    stmt = select(Task).where(Task.state.in_(("ready", "claimed")))
    return db.session.scalars(stmt.where(Task.name == name) if name else stmt).all()


def _complete(client, staff, task, data, who="handler1"):
    response = client.post(f"/api/v1/tasks/{task.id}/complete", json=data, headers=staff.headers(who))
    assert response.status_code == 200, response.json
    return response.json


def _case(number):
    db.session.expire_all()
    return db.session.scalar(select(Case).where(Case.number == number))


def test_a_parallel_join_keeps_the_case_fields_the_latest_step_set(client, app, staff):
    deploy_bpmn(parallel_answers(), "complaint.bpmn", "test")
    for first, second in (("a", "b"), ("b", "a")):
        number = _register()
        assert _case(number).status == "handling" and _case(number).department.code == "ENV"
        mine = {t.name: t for t in _open() if t.case_id == _case(number).id}
        _complete(client, staff, mine[first], {"answer": f"from {first}", "feedback_channel": "phone"})
        assert _case(number).answer == f"from {first}"
        _complete(client, staff, mine[second], {"answer": f"from {second}", "feedback_channel": "phone"})
        # The join merges both branches' data; the case keeps exactly what the later step set.
        assert _case(number).answer == f"from {second}"
        assert [t.name for t in _open() if t.case_id == _case(number).id] == ["final"]


def test_a_multi_instance_task_gives_one_inbox_row_per_item_with_its_own_department_and_clock(client, app, staff, frozen):
    deploy_bpmn(coordinated_help(), "complaint.bpmn", "test")
    number = _register()
    rows = {t.group: t for t in _open("coordinate")}
    assert sorted(rows) == ["handler@ENV", "handler@HOUSING"]
    monday = datetime(2026, 3, 2, tzinfo=UTC)
    end_of_day = timedelta(hours=15, minutes=59, seconds=59)
    assert rows["handler@ENV"].due_at == monday + timedelta(days=2) + end_of_day  # 2 working days: Wednesday
    assert rows["handler@HOUSING"].due_at == monday + timedelta(days=7) + end_of_day  # 5 working days: next Monday
    breaches = {t.task_id: t.due_at for t in db.session.scalars(select(Timer).where(Timer.kind == "breach"))}
    assert breaches == {t.id: t.due_at for t in rows.values()}

    # A form field named `department` in one child does not re-route the case.
    _complete(client, staff, rows["handler@ENV"], {"triage_decision": "accept", "department": "HOUSING"})
    assert _case(number).department_id is None
    assert [t.group for t in _open("coordinate")] == ["handler@HOUSING"]
    assert {t.task_id for t in db.session.scalars(select(Timer))} == {rows["handler@HOUSING"].id}
    _complete(client, staff, rows["handler@HOUSING"], {"triage_decision": "accept", "department": "ENV"}, who="housing1")
    assert _open() == [] and db.session.scalar(select(Timer)) is None
