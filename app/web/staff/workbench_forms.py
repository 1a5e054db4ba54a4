"""Forms in the workbench: the YAML definition beside a live preview, checked before it is saved."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from app.cases.errors import ConflictError, MinyiError, NotFoundError, T, ValidationFailedError
from app.cases.procedures.bundles import forms
from app.cases.procedures.form_definitions import FORM_ID, check_form_source, form_source, save_form
from app.cases.reference import departments

from ..locale import translated
from . import bp
from .session import me, staff_only

NEW_FORM = """id: {id}
title: {{zh: 新表单, en: New form}}
fields:
  - name: answer
    type: text
    label: {{zh: 答复内容, en: Answer}}
    required: true
    max_length: 10000
"""


@bp.get("/workbench/forms")
@staff_only("workbench.use")
def workbench_forms():
    registry = forms()
    edited = registry.edited_ids()
    rows = []
    for form_id in registry.ids():
        try:
            form = registry.get(form_id)
            title, fields, broken = form.describe(_locale())["title"], len(form.fields), None
        except MinyiError as exc:
            title, fields, broken = form_id, 0, translated(exc.message)
        rows.append({"id": form_id, "title": title, "fields": fields, "edited": form_id in edited, "broken": broken})
    return render_template("staff/workbench_forms.html", rows=rows)


@bp.post("/workbench/forms/new")
@staff_only("workbench.use")
def workbench_form_new():
    form_id = (request.form.get("id") or "").strip()[:100]
    if not FORM_ID.match(form_id):
        flash(_("A form id uses lower-case letters, digits and _, starting with a letter."), "error")
        return redirect(url_for("staff.workbench_forms"))
    if form_id in forms().ids():
        flash(_("Form %(id)s already exists.", id=form_id), "error")
        return redirect(url_for("staff.workbench_forms"))
    try:
        save_form(form_id, NEW_FORM.format(id=form_id), me().username, None)
    except MinyiError as exc:
        flash(translated(exc.message), "error")
        return redirect(url_for("staff.workbench_forms"))
    return redirect(url_for("staff.workbench_form", form_id=form_id))


@bp.get("/workbench/forms/<form_id>")
@staff_only("workbench.use")
def workbench_form(form_id: str):
    if not FORM_ID.match(form_id):
        raise NotFoundError(T("no form '%(form_id)s'", form_id=form_id[:100]))
    source, lock = form_source(forms(), form_id)
    return _editor(form_id, source, lock, {})


@bp.post("/workbench/forms/<form_id>")
@staff_only("workbench.use")
def workbench_form_save(form_id: str):
    if not FORM_ID.match(form_id):
        raise NotFoundError(T("no form '%(form_id)s'", form_id=form_id[:100]))
    source = _posted_source()
    lock = request.form.get("lock_version", "")
    try:
        save_form(form_id, source, me().username, int(lock) if lock.isdigit() and len(lock) < 10 else None)
    except ValidationFailedError as exc:
        return _editor(form_id, source, _lock_or_none(lock), exc.details, status=422)
    except ConflictError as exc:
        flash(translated(exc.message), "error")
        return _editor(form_id, source, _lock_or_none(lock), {}, status=409)
    flash(_("Form %(id)s saved. The next version of a process that uses it will bundle it; running cases keep theirs.",
            id=form_id), "ok")
    return redirect(url_for("staff.workbench_form", form_id=form_id))


@bp.post("/workbench/forms/<form_id>/preview")
@staff_only("workbench.use")
def workbench_form_preview(form_id: str):
    """The form as a handler would see it, or what is wrong with the text (htmx swaps it in as one types)."""
    if not FORM_ID.match(form_id):
        raise NotFoundError(T("no form '%(form_id)s'", form_id=form_id[:100]))
    try:
        form = check_form_source(form_id, _posted_source())
        return render_template("staff/_form_preview.html", form=form.describe(_locale()), errors={},
                               departments=_departments())
    except ValidationFailedError as exc:
        return render_template("staff/_form_preview.html", form=None, errors=exc.details, departments=[])


def _editor(form_id: str, source: str, lock, errors: dict, status: int = 200):
    try:
        form = check_form_source(form_id, source).describe(_locale())
    except ValidationFailedError:
        form = None
    return render_template("staff/workbench_form.html", form_id=form_id, source=source, lock=lock, errors=errors,
                           form=form, departments=_departments()), status


def _posted_source() -> str:
    return (request.form.get("source") or "").replace("\r\n", "\n")


def _lock_or_none(lock: str) -> int | None:
    return int(lock) if lock.isdigit() and len(lock) < 10 else None


def _departments() -> list[tuple[str, str]]:
    return [(d.code, d.name) for d in departments().values() if d.active]


def _locale() -> str:
    return str(get_locale() or "zh")
