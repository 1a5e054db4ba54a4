"""`minyi people`: petitioner records -- link the cases registered before them, or after the key changed."""

from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.group("people")
def people_cli():
    """Petitioner records."""


@people_cli.command("link")
@click.option("--rekey", is_flag=True, help="MINYI_PERSON_KEY changed: hash every record's identifiers again")
@with_appcontext
def people_link(rekey: bool):
    """Link every petitioner without a record to their person (found by phone, e-mail or ID number, or new)."""
    from app.cases.people.petitioners import link_registered

    linked = link_registered(rekey=rekey)
    click.echo(f"{linked} petitioners linked" + (" (identifiers hashed again with the current key)" if rekey else ""))
