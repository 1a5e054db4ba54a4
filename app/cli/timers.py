"""`minyi timers` and `minyi scheduler`: firing what is due, once or in the foreground."""

from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.group("timers")
def timers_cli():
    """SLA timers."""


@timers_cli.command("run-due")
@with_appcontext
def timers_run_due():
    """Fire every timer that is due now, once, and exit."""
    from app.cases.clocks.timers import fire_due_timers

    total, batch = 0, 100
    for _ in range(10_000):  # bounded: a batch smaller than asked means nothing more is due
        woken = fire_due_timers(limit=batch)
        total += woken
        if woken < batch:
            break
    click.echo(f"{total} instance(s) woken")


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
