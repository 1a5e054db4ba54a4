"""`minyi mail fetch`: read the e-mail intake mailbox (MINYI_IMAP_URL) once and file what is new."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext


@click.group("mail")
def mail_cli():
    """E-mail intake."""


@mail_cli.command("fetch")
@click.option("--url", help="an IMAP URL instead of MINYI_IMAP_URL")
@with_appcontext
def mail_fetch(url: str | None):
    """Fetch new mail into the incoming queue, once, and exit."""
    from app.channels.mail_in import MailboxError, fetch_mail

    url = url or current_app.config["MINYI_IMAP_URL"]
    if not url:
        raise click.ClickException("no mailbox: set MINYI_IMAP_URL (imaps://user:password@host/INBOX) or pass --url")
    try:
        done = fetch_mail(url)
    except MailboxError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{done.new} new in the incoming queue, {done.joined} joined their case, {done.seen_before} seen before")
