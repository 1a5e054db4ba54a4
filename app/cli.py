"""The `minyi` command line (API.md): the Flask CLI of this app plus Minyi's own groups."""

from __future__ import annotations

import sys

import click
from flask import Flask
from flask.cli import FlaskGroup, with_appcontext

from app.cases.errors import MinyiError


def main() -> None:
    FlaskGroup(create_app=_create_app, help="Minyi: case management for public appeals.")(prog_name="minyi")


def _create_app():
    from app import create_app

    return create_app()


def _fail(exc: MinyiError) -> None:
    click.echo(f"error: {exc.message}", err=True)
    for field, messages in (exc.details or {}).items():
        if field == "problems":
            for p in messages:
                click.echo(f"  {p['element']}: {p['message']}", err=True)
        else:
            click.echo(f"  {field}: {'; '.join(map(str, messages))}", err=True)
    sys.exit(1)


@click.group("departments")
def departments_cli():
    """Departments (承办部门)."""


@departments_cli.command("create")
@click.argument("code")
@click.argument("name")
@with_appcontext
def departments_create(code, name):
    from app.cases.people import create_department

    try:
        department = create_department(code, name)
    except MinyiError as exc:
        _fail(exc)
    click.echo(f"department {department.code} created")


@click.group("users")
def users_cli():
    """Staff accounts and API tokens."""


@users_cli.command("create")
@click.argument("username")
@click.option("--role", "roles", multiple=True, required=True, help="repeat for several roles")
@click.option("--department", default=None, help="department code")
@click.option("--password", default=None, help="omit for token-only accounts")
@click.option("--name", "display_name", default=None)
@with_appcontext
def users_create(username, roles, department, password, display_name):
    from app.cases.people import create_user

    try:
        user = create_user(username, list(roles), department, password, display_name)
    except MinyiError as exc:
        _fail(exc)
    click.echo(f"user {user.username} created with roles {user.roles_text}")


@users_cli.command("token")
@click.argument("username")
@with_appcontext
def users_token(username):
    """Print a new API token (the last line of output is the token)."""
    from app.cases.people import issue_token

    try:
        token = issue_token(username)
    except MinyiError as exc:
        _fail(exc)
    click.echo(f"new API token for {username} (shown once):")
    click.echo(token)


@click.group("processes")
def processes_cli():
    """BPMN processes: lint, deploy, activate, and the catalogue of categories."""


@processes_cli.command("lint")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@with_appcontext
def processes_lint(files):
    from app.cases.errors import ProcessRejectedError
    from app.cases.processes import lint_bpmn, process_files

    failed = False
    for path in process_files(list(files)):
        try:
            parsed = lint_bpmn(path.read_bytes(), path.name)
            click.echo(f"{path.name}: ok ({parsed.process_id})")
        except ProcessRejectedError as exc:
            failed = True
            _report_rejected(path.name, exc)
    sys.exit(1 if failed else 0)


def _report_rejected(name: str, exc) -> None:
    click.echo(f"{name}: rejected", err=True)
    for problem in exc.details["problems"]:
        click.echo(f"  {problem['element']}: {problem['message']}", err=True)


@processes_cli.command("deploy")
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False))
@click.option("--draft", is_flag=True, help="store drafts only: not published, not active")
@with_appcontext
def processes_deploy(files, draft):
    """Deploy the given files, or all of processes/ (published and active unless --draft); exit 1 when any is rejected."""
    from app.cases.errors import ProcessRejectedError
    from app.cases.processes import deploy_bpmn, process_files

    failed = False
    for path in process_files(list(files)):
        try:
            result = deploy_bpmn(path.read_bytes(), path.name, "cli", draft=draft)
        except ProcessRejectedError as exc:
            failed = True
            _report_rejected(path.name, exc)
            continue
        state = "deployed" if result.created else "unchanged" + (", diagram updated" if result.diagram_updated else "")
        where = "active" if result.active else result.state
        click.echo(f"{path.name}: {state} as {result.key} version {result.version} ({where})")
    sys.exit(1 if failed else 0)


@processes_cli.command("activate")
@click.argument("key")
@click.argument("version", type=int)
@with_appcontext
def processes_activate(key, version):
    """Make that version the one new cases start on (publishing a draft): roll back or forward."""
    from app.cases.processes import activate_version

    try:
        row = activate_version(key, version)
    except MinyiError as exc:
        _fail(exc)
    click.echo(f"{row.key} version {row.version} is active")


@processes_cli.command("publish")
@click.argument("key")
@click.argument("version", type=int)
@with_appcontext
def processes_publish(key, version):
    """Publish a draft without activating it."""
    from app.cases.processes import publish_version

    try:
        row = publish_version(key, version)
    except MinyiError as exc:
        _fail(exc)
    click.echo(f"{row.key} version {row.version} is published")


@processes_cli.command("bind")
@click.argument("category")
@click.argument("key")
@with_appcontext
def processes_bind(category, key):
    """The catalogue: cases of CATEGORY start process KEY (it needs an active version)."""
    from app.cases.catalogue import bind_category

    try:
        bind_category(category, key, "cli")
    except MinyiError as exc:
        _fail(exc)
    click.echo(f"{category} cases start {key}")


@click.group("demo")
def demo_cli():
    """Demo data."""


@demo_cli.command("seed")
@with_appcontext
def demo_seed():
    """Idempotent: demo departments, one user per role (password = username + '-demo'), processes deployed."""
    from app.cases.demo import seed

    for line in seed():
        click.echo(line)


@click.group("timers")
def timers_cli():
    """SLA timers."""


@timers_cli.command("run-due")
@with_appcontext
def timers_run_due():
    """Fire every timer that is due now, once, and exit."""
    from app.cases.timers import fire_due_timers

    total, batch = 0, 100
    for _ in range(10_000):  # bounded: a batch smaller than asked means nothing more is due
        woken = fire_due_timers(limit=batch)
        total += woken
        if woken < batch:
            break
    click.echo(f"{total} instance(s) woken")


@click.group("incidents")
def incidents_cli():
    """Cases whose timer or background step failed (retried with backoff)."""


@incidents_cli.command("list")
@with_appcontext
def incidents_list():
    """Open incidents: id, case, retries, next retry, message."""
    from app.cases.incidents import open_incidents
    from app.cases.queries import case_number_of

    incidents = open_incidents()
    for i in incidents:
        click.echo(f"{i.id}  {case_number_of(i.case_id)}  retries={i.retries}  next={i.next_retry_at.isoformat()}  {i.message}")
    click.echo(f"{len(incidents)} open incident(s)")


@incidents_cli.command("retry")
@click.argument("incident_id", required=False, type=int)
@with_appcontext
def incidents_retry(incident_id):
    """Retry one incident now, or every open one; exit 1 when any is still failing."""
    from app.cases.timers import retry_incidents

    try:
        results = retry_incidents(None, incident_id)
    except MinyiError as exc:
        _fail(exc)
    for iid, resolved in results:
        click.echo(f"incident {iid}: {'resolved' if resolved else 'still failing'}")
    sys.exit(0 if all(resolved for _, resolved in results) else 1)


@click.command("scheduler")
@with_appcontext
def scheduler_command():
    """Run the timer scheduler in the foreground (one or more per installation)."""
    from flask import current_app

    from app.scheduler import build

    click.echo("Minyi scheduler running; Ctrl+C stops it")
    try:
        build(current_app._get_current_object(), blocking=True).start()
    except (KeyboardInterrupt, SystemExit):
        pass


@click.group("calendar")
def calendar_cli():
    """Working-day calendar: deadlines and the organisation's overrides."""


@calendar_cli.command("deadline")
@click.option("--start", required=True, help="ISO-8601 date or datetime; without an offset it is local time")
@click.option("--working-days", type=int, default=None)
@click.option("--days", type=int, default=None)
@with_appcontext
def calendar_deadline(start, working_days, days):
    """Print the deadline (ISO-8601 with offset), followed by 'provisional' when it rests on an unpublished year."""
    from datetime import datetime

    from app.cases.calendar import deadline

    try:
        moment = datetime.fromisoformat(start)
    except ValueError:
        click.echo(f"error: --start '{start}' is not an ISO-8601 date or datetime", err=True)
        sys.exit(2)
    try:
        result = deadline(moment, working_days=working_days, days=days)
    except MinyiError as exc:
        _fail(exc)
    click.echo(result.isoformat() + (" provisional" if result.provisional else ""))


@calendar_cli.command("refresh")
@with_appcontext
def calendar_refresh():
    """Recompute provisional deadlines (due in a year that had no official calendar data)."""
    from app.cases.timers import refresh_provisional_deadlines

    click.echo(f"{refresh_provisional_deadlines()} provisional deadline(s) recomputed")


@calendar_cli.group("override")
def calendar_override():
    """Extra holidays and extra working days of this organisation."""


@calendar_override.command("add")
@click.argument("day", type=click.DateTime(formats=["%Y-%m-%d"]))
@click.option("--working/--rest", required=True, help="an extra working day, or an extra rest day")
@click.option("--note", default="", help="why")
@with_appcontext
def calendar_override_add(day, working, note):
    from app.cases.calendar import add_override

    try:
        add_override(day.date(), working, note, "cli")
    except MinyiError as exc:
        _fail(exc)
    click.echo(f"{day.date()} is now {'a working day' if working else 'a rest day'}")


@calendar_override.command("remove")
@click.argument("day", type=click.DateTime(formats=["%Y-%m-%d"]))
@with_appcontext
def calendar_override_remove(day):
    from app.cases.calendar import remove_override

    try:
        remove_override(day.date())
    except MinyiError as exc:
        _fail(exc)
    click.echo(f"override on {day.date()} removed")


@calendar_override.command("list")
@with_appcontext
def calendar_override_list():
    from app.cases.calendar import overrides

    for row in overrides():
        click.echo(f"{row.day}  {'working' if row.working else 'rest   '}  {row.note}")


@click.command("serve")
@click.option("--host", default="127.0.0.1")
@click.option("--port", default=5000, type=int)
@click.option("--scheduler/--no-scheduler", default=True, help="run the timer scheduler in this process too")
@with_appcontext
def serve(host, port, scheduler):
    """The embedded default: web server and timer scheduler in one process. Production runs gunicorn instead."""
    from flask import current_app
    from werkzeug.serving import run_simple

    from app.scheduler import build

    app = current_app._get_current_object()
    background = build(app) if scheduler else None
    if background is not None:
        background.start()
    click.echo(f"Minyi at http://{host}:{port}/  (database: {app.config['SQLALCHEMY_DATABASE_URI']})")
    try:
        run_simple(host, port, app, threaded=True, use_reloader=False)
    finally:
        if background is not None:
            background.shutdown(wait=False)


def register(app: Flask) -> None:
    for command in (departments_cli, users_cli, processes_cli, demo_cli, calendar_cli, timers_cli, incidents_cli,
                    scheduler_command, serve):
        app.cli.add_command(command)
