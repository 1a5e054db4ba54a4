"""`minyi messages`: deliver what the outbox holds once (cron, tests), and see what is stuck."""

from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.group("messages")
def messages_cli():
    """Messages to petitioners."""


@messages_cli.command("deliver")
@with_appcontext
def messages_deliver():
    """Send every message that is due, once, and exit."""
    from app.channels.delivery import deliver_due

    done = deliver_due(rounds=100_000)
    click.echo(f"{done.sent} sent, {done.failed} failed (tried again later or dead), {done.uncertain} uncertain")


@messages_cli.command("status")
@with_appcontext
def messages_status():
    """How many messages are in each state (all counted: an operator's question, not a page's)."""
    from app.cases.messages.delivery_states import message_counts

    counts = message_counts(cap=None)
    for status in ("pending", "sending", "sent", "dead", "uncertain", "dropped"):
        click.echo(f"{status:<10} {counts.get(status, 0)}")


@messages_cli.command("retry")
@click.argument("message_id", type=int)
@with_appcontext
def messages_retry(message_id: int):
    """Send a dead or uncertain message again."""
    from app.cases.errors import MinyiError
    from app.cases.messages.delivery_states import retry_message

    try:
        row = retry_message(message_id, "cli")
    except MinyiError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"message {row.id} is pending again")
