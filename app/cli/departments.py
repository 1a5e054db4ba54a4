"""`minyi departments`: the departments cases are handled by."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from .common import call


@click.group("departments")
def departments_cli():
    """Departments (承办部门)."""


@departments_cli.command("create")
@click.argument("code")
@click.argument("name")
@with_appcontext
def departments_create(code, name):
    from app.cases.people.departments import create_department

    department = call(create_department, code, name)
    click.echo(f"department {department.code} created")
