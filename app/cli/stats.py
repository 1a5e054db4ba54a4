"""`minyi stats`: the figures' rollups -- fold in what is waiting, count every case afresh, prove them right."""

from __future__ import annotations

import sys
import time

import click
from flask.cli import with_appcontext


@click.group("stats")
def stats_cli():
    """The figures (docs/statistics.md) and their rollups."""


@stats_cli.command("fold")
@with_appcontext
def stats_fold():
    """Fold every case whose ledger grew into the rollups now (the scheduler does it every few seconds)."""
    from app.cases.reports.folding import fold_all

    click.echo(f"{fold_all()} case(s) folded in")


@stats_cli.command("rebuild")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="processes counting at once (PostgreSQL; SQLite counts in one)")
@with_appcontext
def stats_rebuild(workers: int):
    """Count every case afresh (after a restore or a change to the definitions); archived cases drop out."""
    from app.cases.reports.folding import rebuild

    started = time.monotonic()
    counted = rebuild(workers=workers, make_app=worker_app)
    click.echo(f"{counted} case(s) counted in {time.monotonic() - started:.1f} s")


@stats_cli.command("verify")
@with_appcontext
def stats_verify():
    """Recount every case from its rows and compare with the rollups; exit 1 on any difference."""
    from app.cases.reports.folding import verify

    started = time.monotonic()
    found = verify()
    click.echo(f"{found.cases} case(s) recounted in {time.monotonic() - started:.1f} s; {found.pending} waiting to be "
               "folded (compared in the sums only)")
    for case_id in found.differing_cases[:20]:
        click.echo(f"case {case_id}: its stored contribution differs from a recount", err=True)
    for row in found.differing_rows[:20]:
        click.echo(f"{row}: differs from the sum of the contributions", err=True)
    if not found.ok:
        sys.exit(f"error: {len(found.differing_cases)} case(s) and {len(found.differing_rows)} rollup row(s) differ; "
                 "`minyi stats rebuild` counts every case afresh")
    click.echo("the rollups equal the recount")


def worker_app(database_url: str):
    """The app a process of `rebuild --workers` counts in (module level: the processes are spawned)."""
    from app import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": database_url})
