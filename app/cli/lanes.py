"""`minyi lanes`: the lane map (which group does the tasks of a lane or of a diagram's candidate group) and each
process's default group (app/cases/procedures/lanes.py)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from .common import call


@click.group("lanes")
def lanes_cli():
    """Who does a task: lanes and candidate groups mapped to groups, and each process's default group."""


@lanes_cli.command("list")
@with_appcontext
def lanes_list():
    """Every mapped name, its group and the active processes using it."""
    from app.cases.procedures.lanes import lane_map

    for row in lane_map():
        used = ", ".join(row["used_by"]) or "-"
        click.echo(f"{row['lane']}\t{row['group']}\t{used}")


@lanes_cli.command("map")
@click.argument("lane")
@click.argument("group")
@with_appcontext
def lanes_map(lane, group):
    """Map LANE (a lane's or candidate group's name) to GROUP: role, role@* (the case's department) or role@CODE."""
    from app.cases.procedures.lanes import map_lane

    row = call(map_lane, lane, group, "cli")
    click.echo(f"{row['lane']} -> {row['group']}")


@lanes_cli.command("unmap")
@click.argument("lane")
@with_appcontext
def lanes_unmap(lane):
    """Remove LANE's mapping (refused while an active process's tasks would then reach nobody)."""
    from app.cases.procedures.lanes import unmap_lane

    call(unmap_lane, lane, "cli")
    click.echo(f"{lane.strip()}: unmapped")


@lanes_cli.command("default")
@click.argument("process")
@click.argument("group", required=False)
@with_appcontext
def lanes_default(process, group):
    """Set PROCESS's default group (its tasks in no lane and with no candidate group); without GROUP: intake again."""
    from app.cases.procedures.lanes import set_default_group

    row = call(set_default_group, process, group, "cli")
    click.echo(f"{row['process']}: {row['default_group']}")
