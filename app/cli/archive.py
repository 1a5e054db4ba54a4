"""`minyi archive`: closed cases past their retention period out to a verified file, and `minyi archive restore`
to bring them back."""

from __future__ import annotations

from datetime import UTC, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import click
from flask import current_app
from flask.cli import with_appcontext

from .common import call


@click.group("archive", invoke_without_command=True)
@click.option("--before", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="archive cases closed before this day (local time)  [default: today]")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="the archive file to write  [default: archives/cases-before-DAY.minyi.tar.gz]")
@click.pass_context
@with_appcontext
def archive_cli(ctx, before, out):
    """Write every final case closed before DAY and past its category's retention period (MINYI_RETENTION_YEARS,
    MINYI_RETENTION) to a compressed, self-describing file; read it back and check it; only then remove the cases."""
    if ctx.invoked_subcommand:
        return
    from app.cases.archive.archiving import archive_cases

    zone = ZoneInfo(current_app.config["MINYI_TIMEZONE"])
    day = (before or datetime.now(zone)).date()
    cutoff = datetime.combine(day, time(), tzinfo=zone).astimezone(UTC)
    path = out or Path("archives") / f"cases-before-{day.isoformat()}.minyi.tar.gz"
    path.parent.mkdir(parents=True, exist_ok=True)
    outcome = call(archive_cases, cutoff, path)
    if outcome.path is None:
        click.echo(f"no case closed before {day} is past its retention period: nothing archived")
        return
    click.echo(f"{outcome.cases} cases and {outcome.files} files archived to {outcome.path}, checked, and removed "
               "from the database")


@archive_cli.command("restore")
@click.argument("path", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@with_appcontext
def archive_restore(path: Path):
    """Put the cases of an archive file back (a case already in the database is left alone and listed)."""
    from app.cases.archive.archiving import restore_archive

    outcome = call(restore_archive, path)
    click.echo(f"{outcome.cases} cases and {outcome.files} files restored from {path}")
    if outcome.skipped:
        click.echo(f"{len(outcome.skipped)} cases are in the database already and were left alone: "
                   + ", ".join(outcome.skipped[:20]) + (" …" if len(outcome.skipped) > 20 else ""), err=True)
        raise SystemExit(1)
