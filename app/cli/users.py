"""`minyi users`: staff accounts and their API tokens."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from app.cases.errors import MinyiError

from .common import fail


@click.group("users")
def users_cli():
    """Staff accounts and API tokens."""


@users_cli.command("create")
@click.argument("username")
@click.option("--role", "roles", multiple=True, required=True, help="repeat for several roles")
@click.option("--department", default=None, help="department code")
@click.option("--password", default=None, help="omit for token-only accounts")
@click.option("--name", "display_name", default=None)
@with_appcontext
def users_create(username, roles, department, password, display_name):
    from app.cases.people import create_user

    try:
        user = create_user(username, list(roles), department, password, display_name)
    except MinyiError as exc:
        fail(exc)
    click.echo(f"user {user.username} created with roles {user.roles_text}")


@users_cli.command("token")
@click.argument("username")
@with_appcontext
def users_token(username):
    """Print a new API token (the last line of output is the token)."""
    from app.cases.people import issue_token

    try:
        token = issue_token(username)
    except MinyiError as exc:
        fail(exc)
    click.echo(f"new API token for {username} (shown once):")
    click.echo(token)
