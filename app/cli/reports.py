"""`minyi reports`: the periodic reports -- make one for a period that is over, list the archive."""

from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.group("reports")
def reports_cli():
    """The periodic reports (monthly, quarterly, annual; docs/statistics.md)."""


@reports_cli.command("generate")
@click.option("--period", required=True, help="a month (2026-11), a quarter (2026-Q4) or a year (2026)")
@click.option("--again", is_flag=True, help="draw an archived report anew from today's figures")
@with_appcontext
def reports_generate(period: str, again: bool):
    """Make and archive the report of a period that is over; run again, it keeps the archived one."""
    from app.cases.reports.periodic.archive import generate

    from .common import call

    report, state = call(generate, period, "cli", again)
    click.echo(f"{report.period}: {state} (report {report.id}, {len(report.pdf)} bytes of PDF, sha256 {report.sha256})")


@reports_cli.command("list")
@with_appcontext
def reports_list():
    """The archived reports, newest first."""
    from app.cases.reports.periodic.archive import archived

    for report in archived():
        click.echo(f"{report.id}\t{report.kind}\t{report.period}\t{report.generated_at.isoformat()}\t{report.sha256}")
