"""What the command groups share."""

from __future__ import annotations

import sys

import click

from app.cases.errors import MinyiError


def call(service, *args, **kwargs):
    """Run a service function; a domain error is reported as `fail` does."""
    try:
        return service(*args, **kwargs)
    except MinyiError as exc:
        fail(exc)


def fail(exc: MinyiError) -> None:
    """Print a domain error (with its field details or lint problems) to stderr and exit 1."""
    click.echo(f"error: {exc.message}", err=True)
    for field, messages in (exc.details or {}).items():
        if field == "problems":
            for p in messages:
                click.echo(f"  {p['element']}: {p['message']}", err=True)
        else:
            click.echo(f"  {field}: {'; '.join(map(str, messages))}", err=True)
    sys.exit(1)
