"""The `minyi` command line (API.md): the Flask CLI of this app plus Minyi's own groups, one module each."""

from __future__ import annotations

from flask import Flask
from flask.cli import FlaskGroup


def main() -> None:
    FlaskGroup(create_app=_create_app, help="Minyi: case management for public appeals.")(prog_name="minyi")


def _create_app():
    from app import create_app

    return create_app()


def register(app: Flask) -> None:
    from .calendar import calendar_cli
    from .demo import demo_cli
    from .departments import departments_cli
    from .incidents import incidents_cli
    from .processes import processes_cli
    from .serve import serve
    from .timers import scheduler_command, timers_cli
    from .users import users_cli

    for command in (departments_cli, users_cli, processes_cli, demo_cli, calendar_cli, timers_cli, incidents_cli,
                    scheduler_command, serve):
        app.cli.add_command(command)
