"""The version diff and migrations through the JSON API and the command line."""

from sqlalchemy import select

from app.cases.procedures.processes import deploy_bpmn
from app.extensions import db
from app.models import Case, CaseMigration, ProcessInstance, ProcessMigration
from tests.helpers import COMPLAINT, complete, register
from tests.processes import two_steps


def _two_versions(draft=False):
    deploy_bpmn(two_steps(), "complaint.bpmn", "test")
    deploy_bpmn(two_steps(review_name="Final review"), "complaint.bpmn", "test", draft=draft)


def _version_of(number):
    db.session.expire_all()
    return db.session.scalar(select(ProcessInstance).join(Case).where(Case.number == number)).process_version.version


def _nothing_recorded():
    return db.session.scalar(select(ProcessMigration.id)) is None and db.session.scalar(select(CaseMigration.id)) is None


def test_the_diff_over_http(client, staff):
    _two_versions()
    answer = client.get("/api/v1/processes/complaint/diff?from=1&to=2", headers=staff.headers("analyst1"))
    assert answer.status_code == 200
    assert answer.json["changed"] == [{"id": "review", "type": "userTask", "name": "Final review",
                                       "changes": [{"attribute": "name", "old": "Review", "new": "Final review"}]}]
    assert answer.json["added"] == answer.json["removed"] == []
    assert client.get("/api/v1/processes/complaint/diff?from=1&to=2", headers=staff.headers("handler1")).status_code == 403
    missing = client.get("/api/v1/processes/complaint/diff?from=1", headers=staff.headers("owner1"))
    assert missing.status_code == 422 and "to" in missing.json["error"]["details"]
    unknown = client.get("/api/v1/processes/complaint/diff?from=1&to=7", headers=staff.headers("owner1"))
    assert unknown.status_code == 404 and unknown.json["error"]["message"] == "version 7 of complaint does not exist"


def test_plan_migrate_show_and_roll_back_over_http(client, staff):
    deploy_bpmn(two_steps(), "complaint.bpmn", "test")
    on_triage = register(client, staff.headers("intake1"), COMPLAINT)["number"]
    at_review = register(client, staff.headers("intake1"), COMPLAINT)["number"]
    complete(client, staff.headers("intake1"), at_review, {}, name="triage")
    deploy_bpmn(two_steps(review_name="Final review"), "complaint.bpmn", "test")
    owner = staff.headers("owner1")

    plan = client.post("/api/v1/processes/complaint/migrations", json={"from": 1, "to": 2, "dry_run": True}, headers=owner)
    assert plan.status_code == 200 and (plan.json["total"], plan.json["safe"]) == (2, 1) and not plan.json["from_active"]
    assert _nothing_recorded()

    made = client.post("/api/v1/processes/complaint/migrations", json={"from": 1, "to": 2}, headers=owner)
    assert made.status_code == 201 and made.json["status"] == "completed"
    assert (made.json["counts"]["migrated"], made.json["counts"]["unsafe"]) == (1, 1)
    outcomes = {i["case_number"]: i for i in made.json["cases"]["items"]}
    assert outcomes[on_triage]["status"] == "migrated" and "'review' (ready)" in outcomes[at_review]["reason"]
    assert (_version_of(on_triage), _version_of(at_review)) == (2, 1)

    listed = client.get("/api/v1/processes/complaint/migrations", headers=staff.headers("analyst1")).json
    assert listed["total"] == 1 and listed["items"][0]["id"] == made.json["id"] and "cases" not in listed["items"][0]
    assert listed["items"][0]["counts"] == {"total": 2, "migrated": 1, "unsafe": 1, "failed": 0}
    shown = client.get(f"/api/v1/migrations/{made.json['id']}", headers=staff.headers("super1"))
    assert shown.status_code == 200 and shown.json == made.json
    assert client.post(f"/api/v1/migrations/{made.json['id']}/rollback", headers=staff.headers("handler1")).status_code == 403
    back = client.post(f"/api/v1/migrations/{made.json['id']}/rollback", headers=owner)
    assert back.status_code == 200 and back.json["status"] == "rolled_back" and _version_of(on_triage) == 1
    again = client.post(f"/api/v1/migrations/{made.json['id']}/rollback", headers=owner)
    assert again.status_code == 409
    assert client.get("/api/v1/migrations/999", headers=owner).status_code == 404


def test_bad_migration_requests_answer_clearly_and_write_nothing(client, staff):
    _two_versions(draft=True)
    register(client, staff.headers("intake1"), COMPLAINT)
    owner, url = staff.headers("owner1"), "/api/v1/processes/complaint/migrations"
    draft = client.post(url, json={"from": 1, "to": 2}, headers=owner)
    assert draft.status_code == 409 and draft.json["error"]["message"] == "version 2 is a draft; publish it first"
    same = client.post(url, json={"from": 1, "to": 1}, headers=owner)
    assert same.status_code == 422 and same.json["error"]["message"] == "from and to are the same version"
    assert client.post(url, json={"from": "1", "to": 2}, headers=owner).status_code == 422
    assert client.post(url, json={"from": 1, "to": 2, "extra": 1}, headers=owner).status_code == 422
    assert client.post("/api/v1/processes/nothing/migrations", json={"from": 1, "to": 2}, headers=owner).status_code == 404
    assert client.post(url, json={"from": 1, "to": 2}, headers=staff.headers("analyst1")).status_code == 403
    assert client.post(url, json={"from": 1, "to": 2, "dry_run": "yes"}, headers=owner).status_code == 422
    assert client.post(url, json={"from": 0, "to": 2**40}, headers=owner).status_code == 422
    assert client.post(url, json=[1, 2], headers=owner).status_code == 400
    assert client.get("/api/v1/processes/complaint/diff?from=abc&to=2", headers=owner).status_code == 422
    assert client.get("/api/v1/migrations/0", headers=owner).status_code == 404
    assert _nothing_recorded()


def test_the_command_line_diffs_plans_migrates_shows_and_rolls_back(runner, client, staff):
    deploy_bpmn(two_steps(), "complaint.bpmn", "test")
    number = register(client, staff.headers("intake1"), COMPLAINT)["number"]
    deploy_bpmn(two_steps(review_name="Final review"), "complaint.bpmn", "test")
    diff = runner.invoke(args=["processes", "diff", "complaint", "1", "2"])
    assert diff.exit_code == 0 and "~ userTask review 'Final review'" in diff.output and "'Review' -> 'Final review'" in diff.output
    dry = runner.invoke(args=["processes", "migrate", "complaint", "--from", "1", "--to", "2", "--dry-run"])
    assert dry.exit_code == 0 and f"{number}: safe" in dry.output and "nothing moved" in dry.output
    assert _version_of(number) == 1
    moved = runner.invoke(args=["processes", "migrate", "complaint", "--from", "1", "--to", "2"])
    assert moved.exit_code == 0, moved.output
    assert "migration 1: complaint version 1 -> 2, completed" in moved.output and "1 migrated" in moved.output
    assert _version_of(number) == 2
    shown = runner.invoke(args=["processes", "migration", "show", "1"])
    assert shown.exit_code == 0 and f"{number}: migrated" in shown.output
    back = runner.invoke(args=["processes", "migration", "rollback", "1"])
    assert back.exit_code == 0 and "rolled back" in back.output and _version_of(number) == 1
    assert runner.invoke(args=["processes", "activate", "complaint", "1"]).exit_code == 0
    noted = runner.invoke(args=["processes", "migrate", "complaint", "--from", "1", "--to", "2", "--dry-run"])
    assert "note: version 1 is active, so new cases keep starting on it; activate version 2 first" in noted.output
    bad = runner.invoke(args=["processes", "migrate", "complaint", "--from", "1", "--to", "9"])
    assert bad.exit_code == 1 and "version 9 of complaint does not exist" in bad.output
    assert runner.invoke(args=["processes", "migration", "show", "5"]).exit_code == 1


def test_a_shipped_complaint_moves_mid_way_and_is_answered_on_the_new_version(client, staff, deployed, frozen):
    from pathlib import Path

    from app import clock
    from app.models import Task, Timer
    from tests.helpers import APPROVE, INVESTIGATION, TRIAGE_ACCEPT

    number = register(client, staff.headers("intake1"), COMPLAINT)["number"]
    complete(client, staff.headers("intake1"), number, TRIAGE_ACCEPT)
    moments = lambda: sorted((t.id, t.kind, t.due_at) for t in db.session.scalars(select(Timer)))  # noqa: E731
    task_due = lambda: db.session.scalar(select(Task.due_at).where(Task.name == "investigate"))  # noqa: E731
    before = (moments(), task_due())
    xml = (Path(__file__).resolve().parents[2] / "processes" / "complaint.bpmn").read_bytes()
    changed = xml.replace("Answer the petitioner 答复反馈".encode(), "Reply to the petitioner 答复反馈".encode())
    changed = changed.replace(b"earliest(working_days(2), case_due)", b"earliest(working_days(3), case_due)")
    clock.freeze(frozen.replace(day=3))
    assert deploy_bpmn(changed, "complaint.bpmn", "test").version == 2
    made = client.post("/api/v1/processes/complaint/migrations", json={"from": 1, "to": 2}, headers=staff.headers("owner1"))
    assert made.status_code == 201 and made.json["counts"]["migrated"] == 1, made.json
    db.session.expire_all()
    assert (moments(), task_due()) == before
    complete(client, staff.headers("handler1"), number, INVESTIGATION)
    complete(client, staff.headers("head1"), number, dict(APPROVE, major=False))
    feedback = client.get("/api/v1/tasks?scope=group", headers=staff.headers("handler1")).json["items"]
    assert [t["title"] for t in feedback if t["case_number"] == number] == ["Reply to the petitioner 答复反馈"]


def test_parallel_department_responses_keep_their_rows_items_and_clocks_across_a_migration(client, staff, deployed, frozen):
    from pathlib import Path

    from app.models import Task
    from tests.helpers import INCIDENT, NO_STATEMENT, SUMMARY, collected, drive_to_summary, fill

    number = register(client, staff.headers("intake1"), INCIDENT)["number"]
    drive_to_summary(client, staff, number, ["ENV", "HOUSING"], level="II", major=True)
    rows = lambda: sorted((t.id, t.group, t.due_at) for t in db.session.scalars(  # noqa: E731
        select(Task).where(Task.name == "respond", Task.state == "ready")))
    before = rows()
    assert [group for _id, group, _due in before] in (["handler@ENV", "handler@HOUSING"], ["handler@HOUSING", "handler@ENV"])
    xml = (Path(__file__).resolve().parents[2] / "processes" / "incident.bpmn").read_bytes()
    deploy_bpmn(xml.replace("Written summary 总结报告".encode(), "Summary report 总结报告".encode()), "incident.bpmn", "test")
    made = client.post("/api/v1/processes/incident/migrations", json={"from": 1, "to": 2}, headers=staff.headers("owner1"))
    assert made.json["counts"]["migrated"] == 1, made.json
    db.session.expire_all()
    assert rows() == before
    fill(client, staff.headers("super1"), number, NO_STATEMENT, "statement")
    fill(client, staff.headers("handler1"), number, {"response": "生态环境科已核实"}, "respond")
    done = fill(client, staff.headers("housing1"), number, {"response": "住房保障科已联系用户"}, "respond")
    assert [t["title"] for t in done["next_tasks"]] == ["Summary report 总结报告"]
    assert ["生态环境科已核实", "住房保障科已联系用户"] in collected(number, "responses")
    fill(client, staff.headers("super1"), number, SUMMARY, "summary")


def test_a_migration_left_half_way_blocks_another_and_is_resumed_from_the_command_line(runner, client, staff):
    from app.cases.procedures.migration import start_migration

    deploy_bpmn(two_steps(), "complaint.bpmn", "test")
    numbers = [register(client, staff.headers("intake1"), COMPLAINT)["number"] for _ in range(3)]
    deploy_bpmn(two_steps(review_name="Final review"), "complaint.bpmn", "test")
    migration_id = start_migration("complaint", 1, 2, "owner1")  # as a page that started it and went away
    blocked = runner.invoke(args=["processes", "migrate", "complaint", "--from", "1", "--to", "2"])
    assert blocked.exit_code == 1 and f"minyi processes migration resume {migration_id}" in blocked.output
    resumed = runner.invoke(args=["processes", "migration", "resume", str(migration_id), "--batch", "2"])
    assert resumed.exit_code == 0 and "3 migrated" in resumed.output, resumed.output
    assert [_version_of(n) for n in numbers] == [2, 2, 2]
    again = runner.invoke(args=["processes", "migration", "resume", str(migration_id)])
    assert again.exit_code == 1 and "is not running" in again.output


def test_a_draft_is_tried_on_the_running_cases_before_it_is_published(client, staff):
    """Issue 23, item 6a: the dry run of moving the running cases works against a draft; moving them does not."""
    _two_versions(draft=True)
    number = register(client, staff.headers("intake1"), COMPLAINT)["number"]
    owner, url = staff.headers("owner1"), "/api/v1/processes/complaint/migrations"
    plan = client.post(url, json={"from": 1, "to": 2, "dry_run": True}, headers=owner)
    assert plan.status_code == 200 and plan.json["to_state"] == "draft"
    assert [(i["case_number"], i["safe"]) for i in plan.json["items"]] == [(number, True)]
    assert client.post(url, json={"from": 1, "to": 2}, headers=owner).status_code == 409  # moving needs publishing
    assert _version_of(number) == 1
