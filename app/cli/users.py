"""`minyi users`: staff accounts and their API tokens."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from app.models import utcnow

from .common import call


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
    from app.cases.people.users import create_user

    user = call(create_user, username, list(roles), department, password, display_name)
    click.echo(f"user {user.username} created with roles {user.roles_text}")


@users_cli.command("token")
@click.argument("username")
@click.option("--name", default=None, help="what the token is for (an integration, a script)")
@click.option("--days", type=int, default=None, help="valid for N days (default MINYI_TOKEN_DAYS, 90)")
@with_appcontext
def users_token(username, name, days):
    """Print a new API token (the last line of output is the token)."""
    from app.cases.people.tokens import create_token

    token = call(create_token, username, name, days)
    click.echo(f"token {token.id}{_named(token.name)} expires {token.expires_at.isoformat(timespec='seconds')}")
    click.echo(f"new API token for {username} (shown once):")
    click.echo(token.secret)


@users_cli.command("tokens")
@click.argument("username")
@with_appcontext
def users_tokens(username):
    """List the user's tokens: id, name, created, expires, revoked (never the tokens themselves)."""
    from app.cases.people.accounts import tokens_of

    tokens = call(tokens_of, None, username)
    now = utcnow()
    for t in tokens:
        state = (f"revoked {_iso(t.revoked_at)}" if t.revoked_at else "expired" if t.expires_at <= now else "active")
        click.echo(f"{t.id}  {t.name or '-'}  created {_iso(t.created_at)}  expires {_iso(t.expires_at)}  {state}")
    click.echo(f"{len(tokens)} token(s)")


@users_cli.command("revoke-token")
@click.argument("token_id", type=int)
@with_appcontext
def users_revoke_token(token_id):
    """Revoke one token (by the id `minyi users tokens` shows): it stops working at once."""
    from app.cases.people.accounts import revoke_token

    token = call(revoke_token, None, token_id)
    click.echo(f"token {token.id}{_named(token.name)} revoked")


@users_cli.command("email")
@click.argument("username")
@click.argument("address", required=False)
@click.option("--notify/--no-notify", default=True, help="send the user's notifications by e-mail too (default yes)")
@with_appcontext
def users_email(username, address, notify):
    """Set a user's e-mail address and whether their notifications go there too."""
    from app.cases.errors import MinyiError
    from app.cases.notifications import set_mail_preference

    try:
        user = set_mail_preference(username, address, notify)
    except MinyiError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{user.username}: {user.email or '-'}, notifications by e-mail {'on' if user.notify_by_email else 'off'}")


@users_cli.command("deactivate")
@click.argument("username")
@with_appcontext
def users_deactivate(username):
    """Cut a user off: their tokens and sessions stop working at once."""
    from app.cases.people.accounts import deactivate_user

    user = call(deactivate_user, None, username)
    click.echo(f"user {user.username} deactivated")


@users_cli.command("password")
@click.argument("username")
@click.password_option(help="the new password (asked twice when not given)")
@with_appcontext
def users_password(username, password):
    """Give a user a new password: every session they have ends (they sign in again)."""
    from app.cases.people.accounts import set_password

    user = call(set_password, None, username, password)
    click.echo(f"user {user.username} has a new password; their sessions ended")


@users_cli.command("activate")
@click.argument("username")
@with_appcontext
def users_activate(username):
    """Undo deactivate: the user's tokens that are neither revoked nor expired work again."""
    from app.cases.people.accounts import activate_user

    user = call(activate_user, None, username)
    click.echo(f"user {user.username} activated")


def _named(name: str) -> str:
    return f" ({name})" if name else ""


def _iso(moment) -> str:
    return moment.isoformat(timespec="seconds")
