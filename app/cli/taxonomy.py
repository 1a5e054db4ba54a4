"""`minyi topics import [FILE]`, `minyi areas import [FILE]`: the topic taxonomy and the areas from a CSV file
(code,name,parent,keywords), the shipped defaults when no file is named; `minyi dispatch import FILE`: the dispatch
table (topic,area,department)."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext


def _tree_group(kind: str) -> click.Group:
    @click.group(f"{kind}s", help=f"The {kind} tree.")
    def group():
        pass

    @group.command("import")
    @click.argument("path", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @with_appcontext
    def import_command(path: Path | None):
        """Load the tree from PATH (or the shipped default); all rows or none."""
        from app.cases.errors import ValidationFailedError
        from app.cases.taxonomy.trees import import_file

        try:
            counts = import_file(kind, path)
        except ValidationFailedError as exc:
            raise click.ClickException("; ".join(str(p) for p in exc.details.get("file", [exc.message]))) from exc
        click.echo(f"{counts['added']} added, {counts['updated']} updated")

    return group


topics_cli, areas_cli = _tree_group("topic"), _tree_group("area")


@click.group("dispatch")
def dispatch_cli():
    """The dispatch table: topic x area -> department."""


@dispatch_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def dispatch_import(path: Path):
    """Load rules from PATH (topic,area,department; area empty: anywhere); all rows or none."""
    from app.cases.errors import ValidationFailedError
    from app.cases.taxonomy.dispatch import import_rules

    try:
        count = import_rules(None, path.read_text(encoding="utf-8-sig"))
    except ValidationFailedError as exc:
        raise click.ClickException("; ".join(str(p) for p in exc.details.get("file", [exc.message]))) from exc
    click.echo(f"{count} rules loaded")
