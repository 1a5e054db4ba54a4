"""The supervisor console (督办台): late and waiting work, bulk reassignment, notices by hand, escalation, workload."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.cases.errors import MinyiError, ValidationFailedError
from app.cases.supervision.console import VIEWS, Filters
from app.cases.supervision.console_page import NOTICE_LISTS, console_overview, console_workload, notice_list
from app.cases.supervision.notices import escalate_case, issue_notice
from app.cases.work.assignment import reassign_tasks
from app.models import CATEGORIES, CHANNELS

from ..locale import translated
from . import bp
from .session import me, staff_only

PER_PAGE = 25  # as the inbox: rendering a row costs about half a millisecond, more than reading it


@bp.get("/supervision")
@staff_only("console.view")
def supervision():
    args = request.args
    view = args.get("view") if args.get("view") in VIEWS else "overdue"
    filters = Filters(
        department=(args.get("department") or "").strip()[:20] or None,
        handler=(args.get("handler") or "").strip()[:64] or None,
        category=args.get("category") if args.get("category") in CATEGORIES else None,
        channel=args.get("channel") if args.get("channel") in CHANNELS else None,
    )
    page = args.get("page", "1")
    page = int(page) if page.isdigit() and 0 < int(page) < 100000 else 1
    notices = args.get("notices") if args.get("notices") in NOTICE_LISTS else "open"
    console = console_overview(me(), view, filters, page, PER_PAGE)
    return render_template("staff/supervision.html", console=console, filters=filters, page=page, per_page=PER_PAGE,
                           notices_state=notices, views=VIEWS, categories=CATEGORIES, channels=CHANNELS)


# The panels below the list: the console page loads them after itself (htmx picks the panel out of the page);
# without JavaScript they are pages of their own, linked from where they would be.

@bp.get("/supervision/workload")
@staff_only("console.view")
def supervision_workload():
    return render_template("staff/supervision_panel.html", panel="workload", workload=console_workload(me()))


@bp.get("/supervision/notices")
@staff_only("console.view")
def supervision_notices():
    state = request.args.get("notices") if request.args.get("notices") in NOTICE_LISTS else "open"
    return render_template("staff/supervision_panel.html", panel="notices", notices=notice_list(me(), state))


@bp.post("/supervision/reassign")
@staff_only("task.assign")
def bulk_reassign():
    form = request.form
    target = form.get("target", "")
    kind, _sep, name = target.partition(":")
    try:
        moved = reassign_tasks(me(), form.getlist("task")[:200], name[:64] if kind == "user" else None,
                               name[:100] if kind == "group" else None, form.get("reason", "")[:500])
    except MinyiError as exc:
        stuck = exc.details.get("tasks") or []
        if stuck:
            flash(_("Nothing was reassigned. These tasks could not move: %(tasks)s", tasks="; ".join(map(str, stuck))), "error")
        else:
            flash(_("Nothing was reassigned: %(reason)s", reason=_reason(exc)), "error")
        return redirect(_back())
    flash(_("%(n)d tasks reassigned to %(target)s.", n=len(moved), target=name), "ok")
    return redirect(_back())


@bp.post("/supervision/notices")
@staff_only("notice.issue")
def issue_supervision_notice():
    form = request.form
    try:
        reply_by = _local_moment(form.get("reply_by", ""))
        issue_notice(me(), form.get("case", "")[:32], form.get("task") or None, form.get("message", "")[:2000], reply_by)
    except MinyiError as exc:
        flash(_("The notice was not issued: %(reason)s", reason=_reason(exc)), "error")
    else:
        flash(_("Supervision notice issued on case %(number)s.", number=form.get("case", "")[:32]), "ok")
    return redirect(_back())


@bp.post("/supervision/escalate")
@staff_only("case.escalate")
def escalate():
    number = request.form.get("case", "")[:32]
    try:
        escalate_case(me(), number, request.form.get("reason", "")[:2000])
    except MinyiError as exc:
        flash(_("The case was not escalated: %(reason)s", reason=_reason(exc)), "error")
    else:
        flash(_("Case %(number)s escalated to leadership.", number=number), "ok")
    return redirect(_back())


def _local_moment(raw: str) -> datetime:
    """<input type=datetime-local> (or a date) in the organisation's time zone."""
    try:
        moment = datetime.fromisoformat(raw.strip()[:32])
    except ValueError:
        raise ValidationFailedError(_("give a reply-by date"), {"reply_by": [_("Enter a date.")]}) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo(current_app.config["MINYI_TIMEZONE"]))


def _reason(exc: MinyiError) -> str:
    """The error, and what it says of each field."""
    fields = " ".join(translated(v) for v in exc.details.values() if isinstance(v, list))
    return _("%(message)s (%(fields)s)", message=translated(exc.message), fields=fields) if fields else translated(exc.message)


def _back() -> str:
    target = request.form.get("back", "")
    return target if target.startswith("/supervision") and not target.startswith("//") else url_for("staff.supervision")
