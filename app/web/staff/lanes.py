"""The lane map as a page (who does the tasks of each lane or candidate group a diagram names) and each process's
default group (its tasks the diagram gives to nobody)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from app.cases import reference
from app.cases.errors import MinyiError
from app.cases.groups import FALLBACK_GROUP, WORKING_ROLES
from app.cases.procedures.lanes import lane_map, map_lane, set_default_group, unmap_lane
from app.cases.procedures.processes import versions_overview

from ..labels import group_label, localized
from ..locale import translated
from . import bp
from .session import me, staff_only


@bp.get("/lanes")
@staff_only("lanes.read")
def lanes():
    return _page()


@bp.post("/lanes")
@staff_only("lanes.change")
def lanes_map():
    role, where = request.form.get("role", ""), request.form.get("where", "")
    group = f"{role}@{where}" if where else role
    return _acted(lambda: map_lane(request.form.get("lane", ""), group, me().username),
                  lambda row: _("'%(lane)s' now goes to %(group)s.", lane=row["lane"], group=_group_text(row["group"])))


@bp.post("/lanes/unmap")
@staff_only("lanes.change")
def lanes_unmap():
    lane = request.form.get("lane", "")
    return _acted(lambda: unmap_lane(lane, me().username), lambda _row: _("'%(lane)s' is no longer mapped.", lane=lane))


@bp.post("/lanes/default")
@staff_only("process.change")
def lanes_default():
    role, where = request.form.get("role", ""), request.form.get("where", "")
    group = (f"{role}@{where}" if where else role) if role else None
    return _acted(lambda: set_default_group(request.form.get("process", ""), group, me().username),
                  lambda row: _("Tasks of %(process)s that name nobody now go to %(group)s.",
                                process=_process_names().get(row["process"], row["process"]),
                                group=_group_text(row["default_group"])))


def _acted(action, done):
    try:
        row = action()
    except MinyiError as exc:
        details = [translated(m) for messages in (exc.details or {}).values() for m in messages]
        return _page([translated(exc.message), *details]), exc.http_status if exc.http_status in (404, 409) else 422
    flash(done(row))
    return redirect(url_for("staff.lanes"))


def _page(problems: list[str] | None = None):
    defaults, names = reference.default_groups(), _process_names()
    return render_template("staff/lanes.html", lanes=lane_map(), roles=WORKING_ROLES, process_names=names,
                           departments=sorted(reference.departments().values(), key=lambda d: d.code),
                           processes=[(key, defaults.get(key, FALLBACK_GROUP), key in defaults) for key in sorted(names)],
                           problems=problems, group_text=_group_text)


def _process_names() -> dict[str, str]:
    """Each process key -> its latest version's name, as people say it in the page's language."""
    names: dict[str, str] = {}
    for version in versions_overview():  # newest first within each key
        names.setdefault(version["key"], version["name"] or version["key"])
    return {key: localized(name, str(get_locale() or "zh")) for key, name in names.items()}


def _group_text(group: str) -> str:
    return group_label(group)
