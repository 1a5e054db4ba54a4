"""The command line of docs/api-contract.md, through Flask's CLI runner."""

from pathlib import Path

from app.cases.people.tokens import user_for_token

ROOT = Path(__file__).resolve().parents[2]


def test_departments_users_and_tokens(runner, app):
    assert runner.invoke(args=["departments", "create", "env", "生态环境科"]).exit_code == 0
    dup = runner.invoke(args=["departments", "create", "ENV", "again"])
    assert dup.exit_code == 1 and "exists" in dup.output
    made = runner.invoke(args=["users", "create", "wang", "--role", "handler", "--role", "head", "--department", "ENV",
                               "--password", "s3cret-pass"])
    assert made.exit_code == 0, made.output
    bad = runner.invoke(args=["users", "create", "li", "--role", "wizard"])
    assert bad.exit_code == 1 and "wizard" in bad.output
    token = runner.invoke(args=["users", "token", "wang"]).output.strip().splitlines()[-1]
    user = user_for_token(token)
    assert user.username == "wang" and user.roles == {"handler", "head"} and user.department_code == "ENV"
    assert runner.invoke(args=["users", "token", "nobody"]).exit_code == 1


def test_processes_lint_and_deploy(runner, app, tmp_path):
    good = ROOT / "processes" / "complaint.bpmn"
    assert runner.invoke(args=["processes", "lint", str(good)]).exit_code == 0
    bad = tmp_path / "complaint.bpmn"
    bad.write_bytes(good.read_bytes().replace(b"set_case(status='closed')", b"import os"))
    linted = runner.invoke(args=["processes", "lint", str(bad)])
    assert linted.exit_code == 1 and "mark_closed" in linted.output
    rejected = runner.invoke(args=["processes", "deploy", str(bad)])
    assert rejected.exit_code == 1 and "mark_closed" in rejected.output
    deployed = runner.invoke(args=["processes", "deploy"])
    assert deployed.exit_code == 0 and "complaint version 1" in deployed.output
    assert "unchanged" in runner.invoke(args=["processes", "deploy"]).output


def test_demo_seed_is_idempotent(runner, app):
    first = runner.invoke(args=["demo", "seed"])
    assert first.exit_code == 0 and "user demo_handler" in first.output and "process complaint version 1" in first.output
    second = runner.invoke(args=["demo", "seed"])
    assert second.exit_code == 0 and second.output.strip() == "demo data already present"


def test_demo_seed_fills_the_inboxes_with_cases_of_every_category_and_state(runner, app, client):
    from app.cases.people.tokens import issue_token

    seeded = runner.invoke(args=["demo", "seed"])
    assert seeded.exit_code == 0, seeded.output
    assert "overdue at triage" in seeded.output and "(complaint) closed" in seeded.output
    headers = {"Authorization": f"Bearer {issue_token('demo_supervisor')}"}
    cases = client.get("/api/v1/cases?per_page=50", headers=headers).json["items"]
    assert {c["category"] for c in cases} == {"consultation", "complaint", "suggestion", "help", "dispute", "incident", "other"}
    assert {"registered", "handling", "answered", "closed"} <= {c["status"] for c in cases}
    assert client.get("/api/v1/cases?overdue=true", headers=headers).json["total"] >= 1
    intake = {"Authorization": f"Bearer {issue_token('demo_intake')}"}
    assert client.get("/api/v1/tasks", headers=intake).json["total"] >= 7
    handler = {"Authorization": f"Bearer {issue_token('demo_handler')}"}
    assert client.get("/api/v1/tasks", headers=handler).json["total"] >= 2  # investigate + follow-up in ENV


def test_a_command_on_a_database_without_tables_says_to_upgrade_it(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    minyi = Path(sys.executable).with_name("minyi")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}"}
    run = subprocess.run([str(minyi), "processes", "lint", str(ROOT / "processes" / "complaint.bpmn")],
                         capture_output=True, text=True, env=env, timeout=60)
    assert run.returncode == 1 and "run `minyi db upgrade` first" in run.stderr and "Traceback" not in run.stderr
