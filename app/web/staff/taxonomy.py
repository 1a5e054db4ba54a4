"""The topics, the areas and the dispatch table as a page: everyone at work reads them; admins load a new version
from a CSV file (all rows or none, every mistake listed)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from app.cases.errors import ValidationFailedError
from app.cases.taxonomy import dispatch, trees

from ..csv_upload import uploaded_csv
from ..locale import translated
from . import bp
from .session import me, staff_only

KINDS = ("topic", "area", "dispatch")


@bp.get("/taxonomy")
@staff_only("taxonomy.read")
def taxonomy():
    return render_template("staff/taxonomy.html", topics=trees.nodes("topic"), areas=trees.nodes("area"),
                           rules=dispatch.rules(), problems=None)


@bp.post("/taxonomy/<kind>")
@staff_only("taxonomy.manage")
def taxonomy_import(kind: str):
    if kind not in KINDS:
        abort(404)
    try:
        data = uploaded_csv()
        if kind == "dispatch":
            done = _("%(n)s rules loaded.", n=dispatch.import_rules(me(), data))
        else:
            counts = trees.import_tree(me(), kind, data)
            done = _("%(added)s added, %(updated)s updated.", **counts)
    except ValidationFailedError as exc:
        problems = [translated(p) for p in exc.details.get("file", [exc.message])]
    else:
        flash(done, "ok")
        return redirect(url_for("staff.taxonomy") + f"#{kind}-title")
    return render_template("staff/taxonomy.html", topics=trees.nodes("topic"), areas=trees.nodes("area"),
                           rules=dispatch.rules(), problems=problems, failed=kind), 422
