"""`minyi incidents`: cases whose timer or background step failed."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from .common import call


@click.group("incidents")
def incidents_cli():
    """Cases whose timer or background step failed (retried with backoff)."""


@incidents_cli.command("list")
@with_appcontext
def incidents_list():
    """Open incidents: id, case, retries, next retry, message."""
    from app.cases.clocks.incidents import open_incidents
    from app.cases.records import case_number_of

    incidents = open_incidents()
    for i in incidents:
        click.echo(f"{i.id}  {case_number_of(i.case_id)}  retries={i.retries}  next={i.next_retry_at.isoformat()}  {i.message}")
    click.echo(f"{len(incidents)} open incident(s)")


@incidents_cli.command("retry")
@click.argument("incident_id", required=False, type=int)
@with_appcontext
def incidents_retry(incident_id):
    """Retry one incident now, or every open one; exit 1 when any is still failing."""
    from app.cases.clocks.timers import retry_incidents

    results = call(retry_incidents, None, incident_id)
    for iid, resolved in results:
        click.echo(f"incident {iid}: {'resolved' if resolved else 'still failing'}")
    sys.exit(0 if all(resolved for _, resolved in results) else 1)
