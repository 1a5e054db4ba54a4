"""`minyi processes diff | migrate | migration show | resume | rollback`: comparing versions and moving running cases."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from .common import call
from .processes import processes_cli


@processes_cli.command("diff")
@click.argument("key")
@click.argument("v1", type=int)
@click.argument("v2", type=int)
@with_appcontext
def processes_diff(key, v1, v2):
    """What changed from version V1 to V2 of KEY, element by element (layout changes are none)."""
    from app.cases.procedures.versions_diff import diff_versions

    diff = call(diff_versions, key, v1, v2)
    click.echo(f"{key}: version {v1} -> {v2}")
    for kind, sign in (("added", "+"), ("removed", "-")):
        for element in diff[kind]:
            click.echo(f"  {sign} {_element(element)}")
    for element in diff["changed"]:
        click.echo(f"  ~ {_element(element)}")
        for change in element["changes"]:
            click.echo(f"      {change['attribute']}: {change['old']!r} -> {change['new']!r}")
    for kind in ("added", "removed", "changed"):
        for form_id in diff["forms"][kind]:
            click.echo(f"  form {form_id}: {kind}")
    if not any(diff[k] for k in ("added", "removed", "changed")) and not any(diff["forms"].values()):
        click.echo("  no differences")


def _element(element) -> str:
    name = f" '{element['name']}'" if element.get("name") else ""
    return f"{element['type']} {element['id']}{name}"


@processes_cli.command("migrate")
@click.argument("key")
@click.option("--from", "from_version", type=int, required=True, help="the version the cases run on now")
@click.option("--to", "to_version", type=int, required=True, help="the (published) version to move them to")
@click.option("--dry-run", is_flag=True, help="only say which cases could move, and why the others cannot")
@click.option("--batch", type=click.IntRange(1, 1000), default=50, show_default=True, help="cases per transaction batch")
@with_appcontext
def processes_migrate(key, from_version, to_version, dry_run, batch):
    """Move the running cases of KEY from one version to another; unsafe cases stay where they are."""
    from app.cases.procedures.migration import start_migration
    from app.cases.procedures.versions_diff import plan_migration

    if dry_run:
        plan = call(plan_migration, key, from_version, to_version)
        for item in plan["items"]:
            click.echo(f"{item['case_number']}: " + ("safe" if item["safe"] else f"unsafe - {item['reason']}"))
        click.echo(f"{plan['total']} running case(s): {plan['safe']} safe, {plan['unsafe']} unsafe (dry run, nothing moved)")
        if plan["from_active"]:
            click.echo(f"note: version {from_version} is active, so new cases keep starting on it; "
                       f"activate version {to_version} first")
        return
    migration_id = call(start_migration, key, from_version, to_version, "cli")
    _print_summary(_run_batches(migration_id, batch))


def _run_batches(migration_id: int, batch: int):
    """Drive a migration to its end, batch by batch, with a progress bar over its cases."""
    from app.cases.procedures.migration import migrate_batch, migration_summary

    summary = call(migration_summary, migration_id)
    counts = summary["counts"]
    done = counts["total"] - counts["pending"]
    with click.progressbar(length=counts["total"], label=f"migration {migration_id}") as bar:
        bar.update(done)
        while summary["status"] == "running":
            summary = call(migrate_batch, migration_id, batch)
            now_done = summary["counts"]["total"] - summary["counts"]["pending"]
            bar.update(now_done - done)
            done = now_done
    return summary


@processes_cli.group("migration")
def migration_cli():
    """A migration's outcome, and rolling it back."""


@migration_cli.command("show")
@click.argument("migration_id", type=int)
@with_appcontext
def migration_show(migration_id):
    """Status, counts and each case's outcome."""
    from app.cases.procedures.migration import migration_summary

    _print_summary(call(migration_summary, migration_id), cases=True)


@migration_cli.command("resume")
@click.argument("migration_id", type=int)
@click.option("--batch", type=click.IntRange(1, 1000), default=50, show_default=True, help="cases per transaction batch")
@with_appcontext
def migration_resume(migration_id, batch):
    """Go on with a migration that stopped half-way (interrupted, or driven from a page and left)."""
    from app.cases.procedures.migration import migration_summary

    if call(migration_summary, migration_id)["status"] != "running":
        click.echo(f"error: migration {migration_id} is not running", err=True)
        sys.exit(1)
    _print_summary(_run_batches(migration_id, batch), cases=True)


@migration_cli.command("rollback")
@click.argument("migration_id", type=int)
@with_appcontext
def migration_rollback(migration_id):
    """Put every migrated case back on its previous version, unless it moved on since."""
    from app.cases.procedures.migration_rollback import rollback_migration

    _print_summary(call(rollback_migration, migration_id, "cli"), cases=True)


def _print_summary(summary, cases: bool = False) -> None:
    counts = summary["counts"]
    click.echo(f"migration {summary['id']}: {summary['key']} version {summary['from']} -> {summary['to']}, "
               f"{summary['status'].replace('_', ' ')}")
    click.echo(", ".join(f"{n} {status.replace('_', ' ')}" for status, n in counts.items()))
    for item in summary["cases"]["items"]:
        if cases or item["status"] != "migrated":
            reason = f" - {item['reason']}" if item["reason"] else ""
            click.echo(f"  {item['case_number']}: {item['status'].replace('_', ' ')}{reason}")
