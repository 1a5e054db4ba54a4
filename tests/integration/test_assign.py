"""Supervisors' assignment never resurrects a completed task: racing a completion, exactly one wins."""

from sqlalchemy import select

from app.cases import errors
from app.cases.intake.appeal import parse_appeal
from app.cases.intake.registration import register_case
from app.cases.procedures.processes import deploy_bpmn
from app.cases.work.assignment import assign_tasks
from app.cases.work.tasks import complete_task
from app.extensions import db
from app.models import LedgerEntry, Task
from tests.helpers import COMPLAINT, in_threads, principal_named
from tests.processes import one_clocked_task


def _new_task():
    number = register_case(parse_appeal(COMPLAINT), "intake1").number
    return db.session.scalar(select(Task).where(Task.state == "ready").order_by(Task.created_at.desc())), number


def test_an_assignment_racing_a_completion_ends_in_exactly_one_success(app, staff):
    deploy_bpmn(one_clocked_task("working_days(2)"), "complaint.bpmn", "test")
    staff.add("intake2", "intake")
    for _ in range(6):
        task, _number = _new_task()

        def race(i, task_id=task.id):
            if i == 0:
                return complete_task(principal_named("intake1"), task_id, {})
            return assign_tasks(principal_named("super1"), [task_id], "intake2", None, "workload")

        results = in_threads(app, 2, race)
        wins = [r for r in results if not isinstance(r, Exception)]
        assert len(wins) == 1 and all(isinstance(r, errors.ConflictError) for r in results if r not in wins), results
        db.session.expire_all()
        row = db.session.get(Task, task.id)
        assigned = db.session.query(LedgerEntry).filter_by(action="task.assigned").filter(
            LedgerEntry.details["task"].as_string() == task.id).count()
        if isinstance(results[0], Exception):  # the assignment won: the task is open, held by intake2
            assert (row.state, row.assignee, assigned) == ("claimed", "intake2", 1)
        else:  # the completion won: the task stays completed, nobody holds it
            assert (row.state, row.completed_by, assigned) == ("completed", "intake1", 0)


def test_assigning_a_completed_task_is_a_conflict_and_changes_nothing(client, app, staff):
    deploy_bpmn(one_clocked_task("working_days(2)"), "complaint.bpmn", "test")
    task, _ = _new_task()
    assert client.post(f"/api/v1/tasks/{task.id}/complete", json={}, headers=staff.headers("intake1")).status_code == 200
    response = client.post(f"/api/v1/tasks/{task.id}/assign", json={"user": "intake1", "reason": "r"},
                           headers=staff.headers("super1"))
    assert response.status_code == 409
    db.session.expire_all()
    assert db.session.get(Task, task.id).state == "completed"
