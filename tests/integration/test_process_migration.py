"""Moving running cases between versions of a process: the diff, the plan, the migration (which keeps
every deadline that did not change), and its rollback."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app import clock, engine
from app.cases.errors import ConflictError, NotFoundError, ValidationFailedError
from app.cases.intake.appeal import parse_appeal
from app.cases.intake.registration import register_case
from app.cases.people.users import principal_of
from app.cases.procedures import migration as migration_service
from app.cases.procedures.migration import migrate_batch, migration_summary, run_migration, start_migration
from app.cases.procedures.migration_rollback import rollback_migration
from app.cases.procedures.processes import activate_version, deploy_bpmn, publish_version
from app.cases.procedures.versions_diff import diff_versions, plan_migration
from app.cases.uow.workflow import load
from app.cases.work.tasks import complete_task
from app.extensions import db
from app.models import Case, CaseMigration, LedgerEntry, ProcessInstance, ProcessMigration, ProcessVersion, Task, Timer, User
from tests.helpers import COMPLAINT, in_threads
from tests.processes import two_steps


def _deploy(xml, draft=False):
    return deploy_bpmn(xml, "complaint.bpmn", "test", draft=draft).version


def _register():
    return register_case(parse_appeal(COMPLAINT), "intake1").number


def _instance(number):
    db.session.expire_all()
    return db.session.scalar(select(ProcessInstance).join(Case).where(Case.number == number))


def _open_tasks(number):
    db.session.expire_all()
    return {t.name: t for t in db.session.scalars(select(Task).join(Case).where(
        Case.number == number, Task.state.in_(("ready", "claimed"))))}


def _timers(number):
    db.session.expire_all()
    return {t.id: (t.kind, t.due_at, t.unit) for t in db.session.scalars(select(Timer).join(Case).where(Case.number == number))}


def _engine_timers(number):
    op = load(_instance(number).id, "test")
    timers = {t.task_id: (t.due_at, t.unit) for t in engine.pending_timers(op.workflow)}
    db.session.rollback()
    return timers


def _complete(number, name, username="intake1"):
    user = principal_of(db.session.scalar(select(User).where(User.username == username)))
    complete_task(user, _open_tasks(number)[name].id, {})


def _actions(number):
    return [e.action for e in db.session.scalars(select(LedgerEntry).join(Case).where(Case.number == number)
                                                 .order_by(LedgerEntry.id))]


def test_the_diff_lists_renamed_changed_added_and_removed_elements(app):
    _deploy(two_steps())
    _deploy(two_steps(review_name="Final review", review_due="working_days(3)", notify=True, reminder="P3D", layout=True))
    diff = diff_versions("complaint", 1, 2)
    assert [(e["id"], e["type"], e["name"]) for e in diff["added"]] == [("f2b", "sequenceFlow", None),
                                                                       ("notify", "userTask", "Notify")]
    changed = {e["id"]: {c["attribute"]: (c["old"], c["new"]) for c in e["changes"]} for e in diff["changed"]}
    assert changed["review"] == {"name": ("Review", "Final review"), "due": ("working_days(5)", "working_days(3)"),
                                 "incoming": (["f2"], ["f2b"])}
    assert changed["reminder"] == {"timer": ("timeDuration: P2D", "timeDuration: P3D")}
    assert changed["f2"] == {"target": ("review", "notify")}
    assert set(changed) == {"review", "reminder", "f2"}
    assert diff["removed"] == [] and diff_versions("complaint", 2, 1)["removed"][1]["id"] == "notify"


def test_a_layout_only_change_is_no_difference(app):
    assert engine.element_diff(two_steps(), two_steps(layout=True)) == {"added": [], "removed": [], "changed": []}
    assert _deploy(two_steps()) == _deploy(two_steps(layout=True)) == 1  # and no new version either


def test_the_plan_says_which_cases_may_move_and_why_not(app, staff):
    _deploy(two_steps())
    waiting_on_triage = _register()
    at_review = _register()
    _complete(at_review, "triage")
    _deploy(two_steps(review_name="Final review"))
    plan = plan_migration("complaint", 1, 2)
    by_case = {item["case_number"]: item for item in plan["items"]}
    assert by_case[waiting_on_triage]["safe"] and by_case[waiting_on_triage]["reason"] is None
    assert not by_case[at_review]["safe"] and by_case[at_review]["elements"] == ["review"]
    assert "'review' (ready) was changed (name)" in by_case[at_review]["reason"]
    assert (plan["total"], plan["safe"], plan["unsafe"]) == (2, 1, 1)
    assert db.session.scalar(select(ProcessMigration.id)) is None
    assert {_instance(n).process_version.version for n in (waiting_on_triage, at_review)} == {1}


def test_migrating_keeps_every_deadline_that_did_not_change(app, staff, frozen):
    _deploy(two_steps())
    number = _register()
    task_before, timers_before, engine_before = _open_tasks(number)["triage"], _timers(number), _engine_timers(number)
    assert {kind for kind, _due, _unit in timers_before.values()} == {"bpmn", "warning", "breach", "escalation"}
    clock.freeze(frozen + timedelta(days=1, hours=3))  # a recomputation now would move every one of them
    _deploy(two_steps(review_name="Final review", review_due="working_days(3)"))
    summary = run_migration("complaint", 1, 2, "owner1")
    assert (summary["status"], summary["counts"]["migrated"]) == ("completed", 1)
    task_after = _open_tasks(number)["triage"]
    assert (task_after.id, task_after.due_at) == (task_before.id, task_before.due_at)
    assert _timers(number) == timers_before
    assert _engine_timers(number) == engine_before
    assert _instance(number).process_version.version == 2
    assert "process.migrated" in _actions(number)


def test_a_migrated_case_goes_on_to_the_end_on_the_new_version(app, staff):
    _deploy(two_steps())
    number = _register()
    _deploy(two_steps(review_name="Final review"))
    run_migration("complaint", 1, 2, "owner1")
    _complete(number, "triage")
    assert _open_tasks(number)["review"].title == "Final review"
    _complete(number, "review")
    assert _instance(number).completed and _open_tasks(number) == {}


def test_unsafe_cases_are_left_alone_and_listed_with_their_reason(app, staff):
    _deploy(two_steps())
    number = _register()
    state_before = _instance(number).state
    _deploy(two_steps(triage_name="Sort out"))
    summary = run_migration("complaint", 1, 2, "owner1")
    [item] = summary["cases"]["items"]
    assert item["status"] == "unsafe" and "'triage' (ready) was changed" in item["reason"]
    assert (summary["counts"]["unsafe"], summary["counts"]["migrated"]) == (1, 0)
    assert _instance(number).state == state_before and _instance(number).process_version.version == 1


def test_publishing_or_activating_a_version_never_moves_a_running_case(app, staff):
    _deploy(two_steps())
    number = _register()
    _deploy(two_steps(review_name="Final review"), draft=True)
    publish_version("complaint", 2)
    assert _instance(number).process_version.version == 1
    activate_version("complaint", 2)
    activate_version("complaint", 1)
    activate_version("complaint", 2)
    assert _instance(number).process_version.version == 1


def test_a_rollback_restores_state_version_and_projections(app, staff, frozen):
    _deploy(two_steps())
    number = _register()
    before = (_instance(number).state, _timers(number), {n: (t.id, t.due_at) for n, t in _open_tasks(number).items()})
    clock.freeze(frozen + timedelta(hours=5))
    _deploy(two_steps(review_name="Final review", reminder="P5D"))  # the reminder changes: its due moves
    migration = run_migration("complaint", 1, 2, "owner1")
    assert _timers(number) != before[1]
    summary = rollback_migration(migration["id"], "owner1")
    assert summary["status"] == "rolled_back" and summary["counts"]["rolled_back"] == 1
    assert _instance(number).process_version.version == 1 and _instance(number).state == before[0]
    assert _timers(number) == before[1]
    assert {n: (t.id, t.due_at) for n, t in _open_tasks(number).items()} == before[2]
    assert _actions(number)[-1] == "process.migration_rolled_back"
    _complete(number, "triage")
    assert _open_tasks(number)["review"].title == "Review"
    with pytest.raises(ConflictError, match="rolled back already"):
        rollback_migration(migration["id"], "owner1")


def test_a_case_that_moved_since_the_migration_is_not_rolled_back(app, staff):
    _deploy(two_steps())
    moved, still = _register(), _register()
    _deploy(two_steps(review_name="Final review"))
    migration = run_migration("complaint", 1, 2, "owner1")
    _complete(moved, "triage")
    summary = rollback_migration(migration["id"], "owner1")
    outcomes = {item["case_number"]: item for item in summary["cases"]["items"]}
    assert outcomes[still]["status"] == "rolled_back" and _instance(still).process_version.version == 1
    assert outcomes[moved]["status"] == "kept" and "moved on after the migration" in outcomes[moved]["reason"]
    assert _instance(moved).process_version.version == 2 and _open_tasks(moved)["review"].title == "Final review"


def test_a_step_taken_while_the_case_is_being_migrated_is_not_lost(app, staff, monkeypatch):
    _deploy(two_steps())
    number = _register()
    _deploy(two_steps(review_name="Final review", review_due="working_days(4)"))
    real, calls = migration_service.migrate_workflow, []

    def someone_completes_triage_meanwhile(op, *specs):
        if not calls:
            calls.append(op.instance_id)
            # another request, in its own thread and transaction, between the migration's read and its write
            [done] = in_threads(app, 1, lambda _i: _complete(number, "triage"))
            assert done is None, done
        return real(op, *specs)

    monkeypatch.setattr(migration_service, "migrate_workflow", someone_completes_triage_meanwhile)
    migration_id = start_migration("complaint", 1, 2, "owner1")
    summary = migrate_batch(migration_id, 10)
    assert calls and summary["status"] == "completed"
    [item] = summary["cases"]["items"]
    # Checked again on its new state: now at 'review', which changed, so the case stays where it is.
    assert item["status"] == "unsafe" and "'review' (ready)" in item["reason"]
    assert "task.completed" in _actions(number) and set(_open_tasks(number)) == {"review"}
    assert _instance(number).process_version.version == 1


def test_bad_requests_change_nothing(app, staff):
    _deploy(two_steps())
    _register()
    _deploy(two_steps(review_name="Final review"), draft=True)
    with pytest.raises(NotFoundError, match="process 'nothing' does not exist"):
        start_migration("nothing", 1, 2, "owner1")
    with pytest.raises(NotFoundError, match="version 3 of complaint does not exist"):
        start_migration("complaint", 1, 3, "owner1")
    with pytest.raises(ValidationFailedError, match="same version"):
        start_migration("complaint", 1, 1, "owner1")
    with pytest.raises(ConflictError, match="version 2 is a draft; publish it first"):
        start_migration("complaint", 1, 2, "owner1")
    with pytest.raises(NotFoundError, match="migration 99 does not exist"):
        rollback_migration(99, "owner1")
    with pytest.raises(NotFoundError, match="migration 99 does not exist"):
        migration_summary(99)
    assert db.session.scalar(select(ProcessMigration.id)) is None and db.session.scalar(select(CaseMigration.id)) is None


def test_a_case_on_a_task_whose_form_changed_stays_where_it_is(app, staff, tmp_path, monkeypatch):
    import shutil

    folder = tmp_path / "forms"
    shutil.copytree(app.config["MINYI_FORMS_DIR"], folder)
    monkeypatch.setitem(app.config, "MINYI_FORMS_DIR", str(folder))
    _deploy(two_steps(review_form="complaint_feedback"))
    waiting_on_triage, at_review = _register(), _register()
    _complete(at_review, "triage")
    form = folder / "complaint_feedback.yaml"
    form.write_text(form.read_text(encoding="utf-8").replace("Channel used", "How it was answered"), encoding="utf-8")
    assert _deploy(two_steps(review_form="complaint_feedback")) == 2  # the same BPMN, another form: a new version
    assert diff_versions("complaint", 1, 2)["forms"] == {"added": [], "removed": [], "changed": ["complaint_feedback"]}
    plan = {item["case_number"]: item for item in plan_migration("complaint", 1, 2)["items"]}
    assert plan[waiting_on_triage]["safe"] and not plan[at_review]["safe"]
    assert plan[at_review]["reason"] == "not safe to move: 'review' (ready) uses form 'complaint_feedback', which changed"
    outcomes = {i["case_number"]: i["status"] for i in run_migration("complaint", 1, 2, "owner1")["cases"]["items"]}
    assert outcomes == {waiting_on_triage: "migrated", at_review: "unsafe"}


def test_a_changed_timer_is_computed_again_and_its_row_follows_with_its_unit(app, staff, frozen):
    _deploy(two_steps())
    number = _register()
    [(timer_id, (_kind, due, unit))] = [(i, t) for i, t in _timers(number).items() if t[0] == "bpmn"]
    assert unit == "calendar" and due == frozen + timedelta(days=2)
    _deploy(two_steps(reminder="working_days(4)", reminder_kind="timeDate"))
    clock.freeze(frozen + timedelta(hours=1))
    assert run_migration("complaint", 1, 2, "owner1")["counts"]["migrated"] == 1
    engine_due, engine_unit = _engine_timers(number)[timer_id]
    assert _timers(number)[timer_id] == ("bpmn", engine_due, "working") and engine_unit == "working"
    assert engine_due > due and db.session.get(Timer, timer_id).started_at == clock.now()  # it counts from the move


def test_an_sla_moment_fired_after_the_migration_stays_fired_after_the_rollback(app, staff, frozen):
    from app.cases.clocks.timers import fire_due_timers

    _deploy(two_steps(reminder="P5D"))
    number = _register()
    before = _timers(number)
    _deploy(two_steps(reminder="P5D", review_name="Final review"))
    migration = run_migration("complaint", 1, 2, "owner1")
    [warning_id] = [i for i, t in before.items() if t[0] == "warning"]
    clock.freeze(before[warning_id][1] + timedelta(seconds=1))
    assert fire_due_timers() == 1 and _actions(number).count("sla.warning") == 1
    summary = rollback_migration(migration["id"], "owner1")
    assert summary["counts"]["rolled_back"] == 1 and _instance(number).process_version.version == 1
    assert _timers(number) == {i: t for i, t in before.items() if i != warning_id}
    assert fire_due_timers() == 0 and _actions(number).count("sla.warning") == 1
    assert _open_tasks(number)["triage"].sla_state == "at_risk"


def test_a_step_inserted_right_after_the_task_a_case_waits_on_is_taken_after_the_move(app, staff, frozen):
    _deploy(two_steps())
    number = _register()
    triage_before = _open_tasks(number)["triage"]
    _deploy(two_steps(notify=True))
    assert plan_migration("complaint", 1, 2)["items"][0]["safe"]
    assert run_migration("complaint", 1, 2, "owner1")["counts"]["migrated"] == 1
    assert (_open_tasks(number)["triage"].id, _open_tasks(number)["triage"].due_at) == (triage_before.id, triage_before.due_at)
    _complete(number, "triage")
    assert set(_open_tasks(number)) == {"notify"}
    _complete(number, "notify")
    _complete(number, "review")
    assert _instance(number).completed


def test_a_draft_not_yet_deployed_is_compared_with_a_version(app):
    from app.cases.errors import ProcessRejectedError
    from app.cases.procedures.versions_diff import diff_against_version

    _deploy(two_steps())
    diff = diff_against_version("complaint", 1, two_steps(triage_name="Sort out", layout=True))
    assert diff["changed"] == [{"id": "triage", "type": "userTask", "name": "Sort out",
                                "changes": [{"attribute": "name", "old": "Triage", "new": "Sort out"}]}]
    with pytest.raises(ProcessRejectedError):
        diff_against_version("complaint", 1, b"<not xml")
    with pytest.raises(NotFoundError, match="version 4 of complaint does not exist"):
        diff_against_version("complaint", 4, two_steps())


def test_the_database_holds_at_most_one_running_migration_per_process(app, staff):
    from sqlalchemy.exc import IntegrityError

    _deploy(two_steps())
    _deploy(two_steps(review_name="Final review"))
    first = start_migration("complaint", 1, 2, "owner1")
    assert first and db.session.get(ProcessMigration, first).status == "completed"  # no running case: done at once
    versions = {m.version: m.id for m in db.session.scalars(select(ProcessVersion))}
    db.session.add_all(ProcessMigration(key="complaint", from_version_id=versions[1], to_version_id=versions[2],
                                        created_by="x", status="running", total=0, migrated=0, unsafe=0, failed=0)
                       for _ in range(2))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_an_interrupted_rollback_goes_on_when_run_again(app, staff, monkeypatch):
    from app.cases.procedures import migration_rollback

    _deploy(two_steps())
    first, second = _register(), _register()
    _deploy(two_steps(review_name="Final review"))
    migration = run_migration("complaint", 1, 2, "owner1")
    real, calls = migration_rollback._rollback_case, []

    def fails_on_the_second_case(*args):
        calls.append(args[0])
        if len(calls) == 2:
            raise RuntimeError("the server went down")
        return real(*args)

    monkeypatch.setattr(migration_rollback, "_rollback_case", fails_on_the_second_case)
    with pytest.raises(RuntimeError):
        rollback_migration(migration["id"], "owner1")
    assert (_instance(first).process_version.version, _instance(second).process_version.version) == (1, 2)
    monkeypatch.setattr(migration_rollback, "_rollback_case", real)
    summary = rollback_migration(migration["id"], "owner1")
    assert summary["counts"]["rolled_back"] == 2 and _instance(second).process_version.version == 1
    with pytest.raises(ConflictError, match="rolled back already"):
        rollback_migration(migration["id"], "owner1")
