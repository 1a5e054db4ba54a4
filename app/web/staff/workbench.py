"""The process owners' workbench (流程工作台): processes and their versions, the modeler, publish and roll back."""

from __future__ import annotations

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from app.cases import reference
from app.cases.errors import MinyiError, T, ValidationFailedError
from app.cases.groups import WORKING_ROLES, default_group
from app.cases.procedures.bundles import forms
from app.cases.procedures.migration import list_migrations
from app.cases.procedures.processes import activate_version, publish_version, version_xml
from app.cases.procedures.whatif import recent_runs
from app.cases.procedures.workbench import (
    check_diagram,
    discard_working_copy,
    process_detail,
    processes_overview,
    publish_diagram,
    save_working_copy,
    upload_diagram,
    working_copy,
)
from app.cases.reference import lane_groups

from ..labels import group_label
from ..locale import translated, translated_tree
from . import bp
from .session import me, staff_only

KEY_MAX = 100


@bp.get("/workbench")
@staff_only("workbench.use")
def workbench():
    return render_template("staff/workbench.html", processes=processes_overview(), roles=WORKING_ROLES,
                           departments=sorted(reference.departments().values(), key=lambda d: d.code))


@bp.get("/workbench/processes/<key>")
@staff_only("workbench.use")
def workbench_process(key: str):
    process = process_detail(key[:KEY_MAX])
    numbers = [v["version"] for v in process["versions"]]
    shown = request.args.get("version", "")
    shown = int(shown) if shown.isdigit() and int(shown) in numbers else (process["active_version"] or
                                                                           (numbers[0] if numbers else None))
    xml = version_xml(process["key"], shown) if shown else None
    return render_template("staff/workbench_process.html", process=process, shown=shown, xml=xml,
                           migrations=list_migrations(process["key"])["items"],
                           default_group=default_group(process["key"]), what_if_runs=recent_runs(process["key"]))


@bp.get("/workbench/processes/<key>/edit")
@staff_only("workbench.use")
def workbench_edit(key: str):
    start = request.args.get("from", "")
    copy = working_copy(key[:KEY_MAX], int(start) if start.isdigit() and len(start) < 9 else None)
    registry = forms()
    form_list = []
    for form_id in registry.ids():
        try:
            form = registry.get(form_id)
        except MinyiError:
            form = None  # a broken form file is listed by lint, not here
        title = form.describe(_locale())["title"] if form else form_id
        form_list.append({"id": form_id, "title": title})
    lanes = [{"name": name, "label": group_label(rule.text)} for name, rule in sorted(lane_groups().items())]
    return render_template("staff/workbench_edit.html", copy=copy, forms=form_list, lanes=lanes)


@bp.post("/workbench/processes/<key>/draft")
@staff_only("workbench.use")
def workbench_save(key: str):
    body = _json_body()
    lock = body.get("lock_version")
    base = body.get("base_version")
    draft = save_working_copy(key[:KEY_MAX], _xml(body), me().username, _int_or_none(lock, "lock_version"),
                              _int_or_none(base, "base_version"))
    return jsonify({"lock_version": draft.lock_version, "updated_by": draft.updated_by,
                    "updated_at": draft.updated_at.isoformat()})


@bp.post("/workbench/processes/<key>/check")
@staff_only("workbench.use")
def workbench_check(key: str):
    problems, warnings = check_diagram(key[:KEY_MAX], _xml(_json_body()))
    return jsonify({"problems": translated_tree(problems), "total": len(problems), "warnings": translated_tree(warnings)})


@bp.post("/workbench/processes/<key>/publish")
@staff_only("workbench.use")
def workbench_publish(key: str):
    body = _json_body()
    activate = body.get("activate", False)
    if not isinstance(activate, bool):
        raise ValidationFailedError(T("activate must be true or false"), {"activate": [T("Must be true or false.")]})
    lock = _int_or_none(body.get("lock_version"), "lock_version")
    result = publish_diagram(key[:KEY_MAX], _xml(body), me().username, activate, lock)
    if result.created:
        flash(_("Published as version %(v)d.", v=result.version), "ok")
    else:
        flash(_("Nothing to publish: the diagram is the same as version %(v)d.", v=result.version), "ok")
    return jsonify({"key": result.key, "version": result.version, "created": result.created, "active": result.active,
                    "state": result.state, "next": url_for("staff.workbench_process", key=result.key)}), \
        201 if result.created else 200


@bp.post("/workbench/processes/<key>/discard")
@staff_only("workbench.use")
def workbench_discard(key: str):
    try:
        discard_working_copy(key[:KEY_MAX])
        flash(_("The working copy was discarded."), "ok")
    except MinyiError as exc:
        flash(translated(exc.message), "error")
    return redirect(url_for("staff.workbench_process", key=key[:KEY_MAX]))


@bp.post("/workbench/processes/<key>/versions/<id:version>/<any(activate, publish):action>")
@staff_only("workbench.use")
def workbench_version(key: str, version: int, action: str):
    try:
        if action == "activate":
            activate_version(key[:KEY_MAX], version)
            flash(_("Version %(v)d is active: new cases start on it. Running cases keep their version.", v=version), "ok")
        else:
            publish_version(key[:KEY_MAX], version)
            flash(_("Version %(v)d is published.", v=version), "ok")
    except MinyiError as exc:
        flash(translated(exc.message), "error")
    return redirect(url_for("staff.workbench_process", key=key[:KEY_MAX]))


@bp.post("/workbench/upload")
@staff_only("workbench.use")
def workbench_upload():
    upload = request.files.get("file")
    data = upload.read(2_000_001) if upload is not None else b""
    if not data.strip():
        flash(_("Choose a BPMN file to upload."), "error")
        return redirect(url_for("staff.workbench"))
    role, where = request.form.get("role", ""), request.form.get("where", "")
    group = (f"{role}@{where}" if where else role) if role else None
    try:
        key, _draft = upload_diagram(data, me().username, replace=request.form.get("replace") == "yes",
                                     default_group=group)
    except MinyiError as exc:
        reasons = [m for messages in exc.details.values() if isinstance(messages, list) for m in messages]
        flash(" ".join([translated(exc.message), *map(translated, reasons)]), "error")
        return redirect(url_for("staff.workbench"))
    flash(_("The file is the working copy of %(key)s: check it, then publish.", key=key), "ok")
    return redirect(url_for("staff.workbench_edit", key=key))


def _json_body() -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ValidationFailedError(T("send a JSON object"), {"_schema": [T("Send a JSON object with the diagram as 'xml'.")]})
    return body


def _xml(body: dict) -> bytes:
    xml = body.get("xml")
    if not isinstance(xml, str) or not xml.strip():
        raise ValidationFailedError(T("the diagram is missing"), {"xml": [T("Send the diagram's XML as 'xml'.")]})
    return xml.encode("utf-8")


def _int_or_none(value, name: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**31:
        raise ValidationFailedError(T("%(name)s must be a whole number", name=name), {name: [T("Must be a whole number.")]})
    return value


def _locale() -> str:
    return str(get_locale() or "zh")
