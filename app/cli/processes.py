"""`minyi processes`: lint, deploy, publish, activate, and the catalogue."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from .common import call, fail


@click.group("processes")
def processes_cli():
    """BPMN processes: lint, deploy, activate, and the catalogue of categories."""


@processes_cli.command("lint")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@with_appcontext
def processes_lint(files):
    from app.cases.errors import ProcessRejectedError
    from app.cases.procedures.processes import lint_bpmn, lint_warnings, process_files

    failed = False
    for path in process_files(list(files)):
        try:
            parsed = lint_bpmn(path.read_bytes(), path.name)
            click.echo(f"{path.name}: ok ({parsed.process_id})")
            _report_warnings(lint_warnings(parsed))
        except ProcessRejectedError as exc:
            failed = True
            _report_rejected(path.name, exc)
    sys.exit(1 if failed else 0)


def _report_warnings(warnings) -> None:
    for warning in warnings:
        click.echo(f"  warning: {warning['element']}: {warning['message']}")


def _report_rejected(name: str, exc) -> None:
    click.echo(f"{name}: rejected", err=True)
    for problem in exc.details["problems"]:
        click.echo(f"  {problem['element']}: {problem['message']}", err=True)


@processes_cli.command("deploy")
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False))
@click.option("--draft", is_flag=True, help="store drafts only: not published, not active")
@click.option("--new-version", is_flag=True,
              help="confirm that a diagram unlike the stored one with its process id is a new version of it")
@click.option("--default-group", default=None,
              help="who does the tasks the diagram gives to nobody: role, role@* or role@CODE (else intake)")
@with_appcontext
def processes_deploy(files, draft, new_version, default_group):
    """Deploy the given files, or all of processes/ (published and active unless --draft); exit 1 when any is rejected."""
    from app.cases.errors import ConflictError, ProcessRejectedError
    from app.cases.procedures.processes import deploy_bpmn, process_files

    if default_group:
        from app.cases.groups import parse_group

        call(parse_group, default_group, "default_group")  # refused before any file is deployed
    failed = False
    for path in process_files(list(files)):
        try:
            result = deploy_bpmn(path.read_bytes(), path.name, "cli", draft=draft, new_version=new_version)
        except ProcessRejectedError as exc:
            failed = True
            _report_rejected(path.name, exc)
            continue
        except ConflictError as exc:
            failed = True
            click.echo(f"{path.name}: refused: {exc.message}", err=True)
            continue
        state = "deployed" if result.created else "unchanged" + (", diagram updated" if result.diagram_updated else "")
        where = "active" if result.active else result.state
        click.echo(f"{path.name}: {state} as {result.key} version {result.version} ({where})")
        _report_warnings(result.warnings)
        if default_group:
            from app.cases.procedures.lanes import set_default_group

            set_default_group(result.key, default_group, "cli")
    sys.exit(1 if failed else 0)


@processes_cli.command("activate")
@click.argument("key")
@click.argument("version", type=int)
@with_appcontext
def processes_activate(key, version):
    """Make that version the one new cases start on (publishing a draft): roll back or forward."""
    from app.cases.procedures.processes import activate_version

    row = call(activate_version, key, version)
    click.echo(f"{row.key} version {row.version} is active")


@processes_cli.command("publish")
@click.argument("key")
@click.argument("version", type=int)
@with_appcontext
def processes_publish(key, version):
    """Publish a draft without activating it."""
    from app.cases.procedures.processes import publish_version

    row = call(publish_version, key, version)
    click.echo(f"{row.key} version {row.version} is published")


@processes_cli.command("bind")
@click.argument("category")
@click.argument("key")
@with_appcontext
def processes_bind(category, key):
    """The catalogue: cases of CATEGORY start process KEY (it needs an active version)."""
    from app.cases.procedures.catalogue import bind_category

    call(bind_category, category, key, "cli")
    click.echo(f"{category} cases start {key}")




@processes_cli.command("message")
@click.argument("number")
@click.argument("name")
@click.option("--as", "username", required=True, help="the user who says it (their access to the case is checked)")
@click.option("--data", default="{}", help="what the message carries, a JSON object")
@with_appcontext
def processes_message(number, name, username, data):
    """Send the message NAME to case NUMBER's process, which must be waiting for it (a message catch event)."""
    import json

    from app.cases.errors import T, ValidationFailedError
    from app.cases.people.users import ACTIVE_USER, PRINCIPAL, principal_from_row
    from app.cases.work.events import send_to_case
    from app.extensions import db
    from app.models import User

    user = principal_from_row(db.session.execute(PRINCIPAL.where(User.__table__.c.username == username, ACTIVE_USER)).first())
    if user is None:
        fail(ValidationFailedError(T("no active user '%(username)s'", username=username), {"as": [username]}))
    try:
        carried = json.loads(data)
    except ValueError:
        carried = None
    if not isinstance(carried, dict):
        fail(ValidationFailedError(T("--data must be a JSON object"), {"data": [data[:100]]}))
    row = call(send_to_case, user, number, name, carried)
    click.echo(f"{row['case_number']}: {row['message']} delivered; the case is {row['status']}")
