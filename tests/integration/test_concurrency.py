"""Concurrent or repeated requests never lose or duplicate work."""


import pytest

from app.cases import errors
from app.cases.intake.appeal import parse_appeal
from app.cases.intake.registration import register_case
from app.cases.uow.workflow import instance_operation
from app.cases.work.tasks import claim_task, complete_task
from app.extensions import db
from app.models import Case, LedgerEntry, Task
from tests.helpers import COMPLAINT, in_threads, principal_named


def _new_case_task(app):
    intake = register_case(parse_appeal(COMPLAINT), "intake1")
    case = db.session.query(Case).filter_by(number=intake.number).one()
    task = db.session.query(Task).filter_by(case_id=case.id, state="ready").one()
    return case, task


def test_two_concurrent_completions_of_one_task_exactly_one_succeeds(app, staff, deployed):
    case, task = _new_case_task(app)
    data = {"triage_decision": "accept", "department": "ENV"}
    results = in_threads(app, 2, lambda i: complete_task(principal_named("intake1"), task.id, dict(data)))
    succeeded = [r for r in results if not isinstance(r, Exception)]
    failed = [r for r in results if isinstance(r, Exception)]
    assert len(succeeded) == 1, results
    assert len(failed) == 1 and isinstance(failed[0], errors.ConflictError), results
    db.session.expire_all()
    completions = db.session.query(LedgerEntry).filter_by(case_id=case.id, action="task.completed").count()
    assert completions == 1
    assert db.session.query(Task).filter_by(case_id=case.id, name="investigate").count() == 1


def test_two_concurrent_claims_give_the_task_to_one_handler(app, staff, deployed):
    case, task = _new_case_task(app)
    complete_task(principal_named("intake1"), task.id, {"triage_decision": "accept", "department": "ENV"})
    investigate = db.session.query(Task).filter_by(case_id=case.id, name="investigate").one()
    names = ["handler1", "handler2"]
    results = in_threads(app, 2, lambda i: claim_task(principal_named(names[i]), investigate.id).assignee)
    winners = [r for r in results if isinstance(r, str)]
    assert len(winners) == 1 and all(isinstance(r, errors.ConflictError) for r in results if r not in winners), results


def test_concurrent_intakes_get_distinct_numbers(app, staff, deployed):
    payload = {**COMPLAINT, "petitioner": dict(COMPLAINT["petitioner"])}
    results = in_threads(app, 4, lambda i: [register_case(parse_appeal(payload), "intake1").number for _ in range(5)])
    numbers = [n for r in results if isinstance(r, list) for n in r]
    errors_seen = [r for r in results if isinstance(r, Exception)]
    # SQLite serialises writers; a writer that waited too long gets a clear conflict, never a duplicate.
    assert all(isinstance(e, errors.ConflictError) for e in errors_seen), errors_seen
    assert len(numbers) == len(set(numbers)) and len(numbers) + 5 * len(errors_seen) == 20


def test_a_stale_instance_write_is_a_conflict_and_changes_nothing(app, staff, deployed):
    case, task = _new_case_task(app)
    instance_id = task.instance_id
    with pytest.raises(errors.StaleStateError):
        with instance_operation(instance_id, "intake1") as op:
            # Meanwhile someone else completes the triage.
            results = in_threads(app, 1, lambda i: complete_task(principal_named("intake1"), task.id,
                                                                  {"triage_decision": "reject", "reject_reason": "x"}))
            assert not isinstance(results[0], Exception), results
            op.record("case.held", reason="a stale write")
    db.session.expire_all()
    assert db.session.query(LedgerEntry).filter_by(action="test.stale_write").count() == 0
    assert db.session.query(Task).filter_by(case_id=case.id, state="ready").count() == 0
