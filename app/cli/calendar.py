"""`minyi calendar`: deadlines and the organisation's own holidays and working days."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from .common import call


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

    from app.cases.clocks.office_calendar import deadline

    try:
        moment = datetime.fromisoformat(start)
    except ValueError:
        click.echo(f"error: --start '{start}' is not an ISO-8601 date or datetime", err=True)
        sys.exit(2)
    result = call(deadline, moment, working_days=working_days, days=days)
    click.echo(result.isoformat() + (" provisional" if result.provisional else ""))


@calendar_cli.command("refresh")
@with_appcontext
def calendar_refresh():
    """Recompute provisional deadlines (due in a year that had no official calendar data)."""
    from app.cases.clocks.timers import refresh_provisional_deadlines

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
    from app.cases.clocks.office_calendar import add_override

    call(add_override, day.date(), working, note, "cli")
    click.echo(f"{day.date()} is now {'a working day' if working else 'a rest day'}")


@calendar_override.command("remove")
@click.argument("day", type=click.DateTime(formats=["%Y-%m-%d"]))
@with_appcontext
def calendar_override_remove(day):
    from app.cases.clocks.office_calendar import remove_override

    call(remove_override, day.date())
    click.echo(f"override on {day.date()} removed")


@calendar_override.command("list")
@with_appcontext
def calendar_override_list():
    from app.cases.clocks.office_calendar import overrides

    for row in overrides():
        click.echo(f"{row.day}  {'working' if row.working else 'rest   '}  {row.note}")
