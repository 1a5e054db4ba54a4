"""The task page: its form, built from the form definition, validated by the same service as the API."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from app.cases.errors import FormValidationError, MinyiError
from app.cases.work.drafts import save_draft
from app.cases.work.tasks import complete_task
from app.cases.work.workspace import task_workspace

from ..labels import STATUSES
from ..locale import translated
from . import bp
from .formdata import draft_values, form_data, form_values, posted_fields, shown_values
from .session import me, staff_only


@bp.get("/tasks/<task_id>")
@staff_only("task.view", "task_id")
def task(task_id: str):
    ws = task_workspace(me(), task_id[:36], _locale())
    fields = ws.form["fields"] if ws.form else []
    # the user's unsaved draft first; otherwise what the case's data holds (earlier steps' decisions)
    values = draft_values(fields, ws.draft) if ws.draft else shown_values(fields, ws.values or {}, _zone())
    return render_template("staff/task.html", ws=ws, values=values, errors={})


@bp.post("/tasks/<task_id>/draft")
@staff_only("task.work", "task_id")
def draft(task_id: str):
    """Keep what the form holds, as typed (a draft is not validated), and show the task again."""
    try:
        save_draft(me(), task_id[:36], posted_fields(request.form))
        flash(_("Draft saved."), "ok")
    except MinyiError as exc:
        flash(_("Could not save the draft: %(reason)s", reason=translated(exc.message)), "error")
    return redirect(url_for("staff.task", task_id=task_id[:36]))


@bp.post("/tasks/<task_id>")
@staff_only("task.work", "task_id")
def complete(task_id: str):
    ws = task_workspace(me(), task_id[:36], _locale())
    fields = ws.form["fields"] if ws.form else []
    try:
        _task, case, next_tasks = complete_task(me(), ws.task.id, form_data(fields, request.form, _zone()))
    except FormValidationError as exc:
        return render_template("staff/task.html", ws=ws, values=form_values(fields, request.form), errors=exc.details), 422
    user = me()
    flash(_("Done: %(task)s. Case %(number)s is now: %(status)s.", task=ws.task.title, number=case.number,
            status=_status(case.status)), "ok")
    mine = [t for t in next_tasks if t.get("assignee") == user.username or t.get("group") in user.groups]
    if mine:
        return redirect(url_for("staff.task", task_id=mine[0]["id"]))
    return redirect(url_for("staff.inbox"))


def _locale() -> str:
    return str(get_locale() or "zh")


def _zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["MINYI_TIMEZONE"])


def _status(code: str) -> str:
    return str(STATUSES.get(code, code))
