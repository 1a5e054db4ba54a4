"""Comparing process versions and moving running cases between them (process owners)."""

from __future__ import annotations

from flask import jsonify

from app.cases.procedures.migration import list_migrations, migration_summary, run_migration
from app.cases.procedures.migration_rollback import rollback_migration
from app.cases.procedures.versions_diff import diff_versions, plan_migration

from . import bp
from .auth import current_user, require
from .io import load_args, load_body
from .migration_schemas import MigrationIn, VersionPairArgs

_VERSION_PAIR_ARGS, _MIGRATION_IN = VersionPairArgs(), MigrationIn()


@bp.get("/processes/<key>/diff")
@require("process.read")
def process_diff(key: str):
    args = load_args(_VERSION_PAIR_ARGS)
    return jsonify(diff_versions(key, args["from_"], args["to"]))


@bp.post("/processes/<key>/migrations")
@require("process.change")
def start_process_migration(key: str):
    body = load_body(_MIGRATION_IN)
    if body["dry_run"]:
        return jsonify(plan_migration(key, body["from_"], body["to"]))
    return jsonify(run_migration(key, body["from_"], body["to"], current_user().username)), 201


@bp.get("/processes/<key>/migrations")
@require("process.read")
def process_migrations(key: str):
    return jsonify(list_migrations(key))


@bp.get("/migrations/<id:migration_id>")
@require("process.read")
def show_migration(migration_id: int):
    return jsonify(migration_summary(migration_id))


@bp.post("/migrations/<id:migration_id>/rollback")
@require("process.change")
def roll_back_migration(migration_id: int):
    return jsonify(rollback_migration(migration_id, current_user().username))
