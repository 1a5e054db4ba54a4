"""The inbox: my tasks and my groups' queue; claim and release (htmx swaps the list in place)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.cases import policy
from app.cases.errors import ConflictError, MinyiError
from app.cases.lists.inbox import DUE_WINDOWS, SCOPES, InboxFilters
from app.cases.lists.saved_filters import delete_filter, inbox_with_saved_filters, save_filter
from app.cases.work.tasks import claim_task, release_task
from app.models import CATEGORIES

from ..locale import translated
from . import bp
from .session import me, staff_only

PER_PAGE = 25


@bp.get("/inbox")
@staff_only("task.list")
def inbox():
    filters = _filters(request.args)
    page, saved = inbox_with_saved_filters(me(), filters)
    return render_template("staff/inbox.html", inbox=page, filters=filters, saved=saved, groups=sorted(me().groups),
                           categories=CATEGORIES, scopes=SCOPES if policy.may(me(), "task.list_all") else SCOPES[:2])


@bp.post("/inbox/filters")
@staff_only("filter.use")
def save_filters():
    """Save the filters the inbox shows (posted beside the name) and go back to them."""
    current = _filters(request.form)
    chosen = {k: v for k, v in (("scope", current.scope), ("category", current.category), ("sla", current.sla),
                                ("due", current.due), ("q", current.q)) if v}
    try:
        save_filter(me(), request.form.get("name", "")[:200], chosen, request.form.get("shared_with") or None)
        flash(_("Filters saved as “%(name)s”.", name=request.form.get("name", "").strip()), "ok")
    except MinyiError as exc:
        flash(_("Could not save the filters: %(reason)s", reason=translated(exc.message)), "error")
    return redirect(url_for("staff.inbox", **chosen))


@bp.post("/inbox/filters/<id:filter_id>/delete")
@staff_only("filter.use")
def delete_filters(filter_id: int):
    try:
        delete_filter(me(), filter_id)
    except MinyiError as exc:
        flash(_("Could not delete the saved filter: %(reason)s", reason=translated(exc.message)), "error")
    return redirect(_back())


@bp.post("/tasks/<task_id>/claim")
@staff_only("task.work", "task_id")
def claim(task_id: str):
    try:
        claim_task(me(), task_id[:36])
    except ConflictError as exc:
        flash(_("Could not claim the task: %(reason)s", reason=translated(exc.message)), "error")
    return redirect(_back())


@bp.post("/tasks/<task_id>/release")
@staff_only("task.work", "task_id")
def release(task_id: str):
    try:
        release_task(me(), task_id[:36])
    except ConflictError as exc:
        flash(_("Could not release the task: %(reason)s", reason=translated(exc.message)), "error")
    return redirect(_back())


def _filters(args) -> InboxFilters:
    """Filters from the query string; anything unknown is ignored rather than refused (a page, not an API)."""
    scope = args.get("scope", "group")
    page = args.get("page", "1")
    return InboxFilters(
        scope=scope if scope in SCOPES else "group",
        category=args.get("category") if args.get("category") in CATEGORIES else None,
        sla=args.get("sla") if args.get("sla") in ("overdue", "at_risk") else None,
        due=args.get("due") if args.get("due") in DUE_WINDOWS else None,
        q=(args.get("q") or "").strip()[:100] or None,
        page=int(page) if page.isdigit() and 0 < int(page) < 100000 else 1,
        per_page=PER_PAGE,
    )


def _back() -> str:
    """Back to the inbox with the filters the user was looking at."""
    target = request.form.get("back", "")
    return target if target.startswith("/inbox") and not target.startswith("//") else url_for("staff.inbox")
