"""The workbench's view of change: the diff of two versions, and moving running cases between them (with rollback)."""

from __future__ import annotations

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.cases.errors import MinyiError, T, ValidationFailedError
from app.cases.procedures.migration import list_migrations, migrate_batch, migration_summary, start_migration
from app.cases.procedures.migration_rollback import rollback_migration
from app.cases.procedures.processes import version_xml
from app.cases.procedures.versions_diff import diff_versions, plan_migration

from ..locale import translated
from . import bp
from .session import me, staff_only
from .workbench import KEY_MAX

STEP = 20  # cases per step of a migration driven from the page: each step is one short request


@bp.get("/workbench/processes/<key>/diff")
@staff_only("workbench.use")
def workbench_diff(key: str):
    try:
        old, new = _versions()
    except ValidationFailedError as exc:
        flash(translated(exc.message), "error")
        return redirect(url_for("staff.workbench_process", key=key[:KEY_MAX]))
    diff = diff_versions(key[:KEY_MAX], old, new)
    return render_template("staff/workbench_diff.html", key=key[:KEY_MAX], diff=diff,
                           xml_old=version_xml(key[:KEY_MAX], old), xml_new=version_xml(key[:KEY_MAX], new))


@bp.get("/workbench/processes/<key>/migrate")
@staff_only("workbench.use")
def workbench_migrate(key: str):
    """The plan of moving the running cases of one version to another: a dry run, before the target is active or
    even published (moving them needs a published target)."""
    try:
        old, new = _versions()
        plan = plan_migration(key[:KEY_MAX], old, new)
    except ValidationFailedError as exc:  # the bare URL, or a version number mistyped: say it on the process's page
        flash(translated(exc.message), "error")
        return redirect(url_for("staff.workbench_process", key=key[:KEY_MAX]))
    return render_template("staff/workbench_migrate.html", key=key[:KEY_MAX], plan=plan,
                           migrations=list_migrations(key[:KEY_MAX])["items"])


@bp.post("/workbench/processes/<key>/migrate")
@staff_only("workbench.use")
def workbench_migrate_start(key: str):
    old, new = _versions(request.form)
    try:
        migration_id = start_migration(key[:KEY_MAX], old, new, me().username)
    except MinyiError as exc:
        flash(translated(exc.message), "error")
        return redirect(url_for("staff.workbench_migrate", key=key[:KEY_MAX], **{"from": old, "to": new}))
    return redirect(url_for("staff.workbench_migration", migration_id=migration_id))


@bp.get("/workbench/migrations/<id:migration_id>")
@staff_only("workbench.use")
def workbench_migration(migration_id: int):
    return render_template("staff/workbench_migration.html", summary=migration_summary(migration_id), step=STEP)


@bp.post("/workbench/migrations/<id:migration_id>/step")
@staff_only("workbench.use")
def workbench_migration_step(migration_id: int):
    """Move the next few cases (each in its own transaction) and answer the progress; the page calls it until done."""
    summary = migrate_batch(migration_id, STEP)
    counts = summary["counts"]
    return jsonify({"status": summary["status"], "total": counts["total"], "pending": counts["pending"],
                    "done": counts["total"] - counts["pending"], "migrated": counts["migrated"]})


@bp.post("/workbench/migrations/<id:migration_id>/rollback")
@staff_only("workbench.use")
def workbench_migration_rollback(migration_id: int):
    try:
        summary = rollback_migration(migration_id, me().username)
        flash(_("Migration %(id)d rolled back: %(n)d cases are on version %(v)d again.", id=migration_id,
                n=summary["counts"]["rolled_back"], v=summary["from"]), "ok")
    except MinyiError as exc:
        flash(translated(exc.message), "error")
    return redirect(url_for("staff.workbench_migration", migration_id=migration_id))


def _versions(args=None) -> tuple[int, int]:
    args = request.args if args is None else args
    found = []
    for name in ("from", "to"):
        value = args.get(name, "")
        if not value.isdigit() or len(value) > 9:
            raise ValidationFailedError(T("'%(name)s' must be a version number", name=name), {name: [T("Must be a version number.")]})
        found.append(int(value))
    return found[0], found[1]
