"""`minyi demo`: demo data."""

from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.group("demo")
def demo_cli():
    """Demo data."""


@demo_cli.command("seed")
@with_appcontext
def demo_seed():
    """Idempotent: demo departments, one user per role (password = username + '-demo'), processes deployed."""
    from app.demo.seed import seed

    for line in seed():
        click.echo(line)
