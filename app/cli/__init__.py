"""The `minyi` command line (docs/api-contract.md): the Flask CLI of this app plus Minyi's own groups, one module each."""

from __future__ import annotations

import sys

from flask import Flask
from flask.cli import FlaskGroup
from sqlalchemy.exc import OperationalError, ProgrammingError


def main() -> None:
    group = FlaskGroup(create_app=_create_app, help="Minyi: case management for public appeals.")
    try:
        group(prog_name="minyi", standalone_mode=False)
    except (OperationalError, ProgrammingError) as exc:
        if "no such table" in str(exc) or "does not exist" in str(exc):
            sys.exit("error: the database has no Minyi tables yet; run `minyi db upgrade` first")
        raise
    except SystemExit:
        raise
    except Exception as exc:  # click's own errors (bad options, ...) print and exit as click would
        import click

        if isinstance(exc, click.ClickException):
            exc.show()
            sys.exit(exc.exit_code)
        if isinstance(exc, click.exceptions.Abort):
            sys.exit("Aborted!")
        raise


def _create_app():
    from app import create_app

    return create_app()


def register(app: Flask) -> None:
    from . import migration  # noqa: F401 - adds diff, migrate and migration to the processes group
    from .archive import archive_cli
    from .backup import backup_command, restore_command
    from .calendar import calendar_cli
    from .demo import demo_cli
    from .departments import departments_cli
    from .incidents import incidents_cli
    from .lanes import lanes_cli
    from .mail import mail_cli
    from .messages import messages_cli
    from .people import people_cli
    from .processes import processes_cli
    from .reports import reports_cli
    from .serve import serve
    from .stats import stats_cli
    from .taxonomy import areas_cli, dispatch_cli, topics_cli
    from .timers import scheduler_command, timers_cli
    from .users import users_cli

    for command in (departments_cli, users_cli, processes_cli, demo_cli, calendar_cli, timers_cli, incidents_cli,
                    scheduler_command, serve, backup_command, restore_command, archive_cli, messages_cli, mail_cli,
                    people_cli, topics_cli, areas_cli, dispatch_cli, stats_cli, reports_cli, lanes_cli):
        app.cli.add_command(command)
