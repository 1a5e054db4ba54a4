"""The analysts' page (/stats): the figures of a period under filters, the departments' ranking and the hotspots
(docs/statistics.md); analysts and leaders start here."""

from __future__ import annotations

from datetime import date, timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.cases import policy, reference
from app.cases.errors import MinyiError
from app.cases.reference import local_today
from app.cases.reports.appeals import appeals, decide_appeal
from app.cases.reports.drilldown import LISTED, PARTS, Asked, cases_behind
from app.cases.reports.export import TABLES, tables
from app.cases.reports.focus import focus_topics, mark_focus
from app.cases.reports.hotspots import hotspots
from app.cases.reports.ranking import ranking
from app.cases.reports.summary import Filters, Period, summary
from app.cases.reports.trends import GRAINS, default_grain, trend
from app.cases.taxonomy.trees import nodes
from app.models import CATEGORIES, CHANNELS

from ..figures import exported, period_from
from ..locale import translated
from . import bp
from .session import me, staff_only

FILTERS = ("department", "category", "channel", "topic", "area")  # topic and area: from the hotspots' links


def last_month(today: date) -> Period:
    last = today.replace(day=1) - timedelta(days=1)
    return Period(last.replace(day=1), last)


@bp.get("/stats")
@staff_only("stats.read")
def stats():
    values = _values()
    try:
        period = period_from(request.args, last_month(local_today()))
    except ValueError as exc:
        return _page(values, error=str(exc)), 422
    values.update({"from": period.first.isoformat(), "to": period.last.isoformat()})
    filters = _filters()
    grain = values["grain"] if values["grain"] in GRAINS else default_grain(period)
    try:
        figures = summary(me(), period, filters)
        trended = trend(me(), period, filters, grain)
        ranked = ranking(me(), period)  # departments, or a head's handlers
        hot = hotspots(me(), period, filters)
        focus = focus_topics(me(), period)
        contested = appeals(me(), None)[:20]
    except MinyiError as exc:
        if exc.http_status == 403:
            raise
        return _page(values, error=translated(exc.message)), exc.http_status
    return _page(values, figures=figures, trended=trended, ranked=ranked, hot=hot, focus=focus, contested=contested)


def _page(values: dict, error: str | None = None, **shown):
    everywhere = policy.may_everywhere(me(), "stats.read")
    departments = sorted((d.code, d.name) for d in reference.departments().values() if d.active) if everywhere else []
    return render_template("staff/stats.html", values=values, error=error, departments=departments,
                           categories=CATEGORIES, channels=CHANNELS, grains=GRAINS,
                           query={k: v for k, v in values.items() if v},
                           topics=nodes("topic") if policy.may(me(), "stats.focus") else [],
                           this_month=local_today().strftime("%Y-%m"),
                           may_decide=policy.may(me(), "stats.appeal_decide"),
                           **{"figures": None, "trended": None, "ranked": None, "hot": None, "focus": [], "contested": [],
                              **shown})


@bp.post("/stats/focus")
@staff_only("stats.focus")
def stats_focus():
    """Leadership marks a month's focus topic (每月一题) from the figures page."""
    raw = request.form.get("month", "")[:7]
    try:
        month = date.fromisoformat(raw + "-01")
    except ValueError:
        flash(_("The focus topic was not marked: give the month as YYYY-MM."), "error")
    else:
        try:
            marked = mark_focus(me(), month, request.form.get("topic", "")[:32], request.form.get("note", "")[:2000])
        except MinyiError as exc:
            if exc.http_status == 403:
                raise
            flash(_("The focus topic was not marked: %(reason)s", reason=translated(exc.message)), "error")
        else:
            flash(_("%(name)s is the focus topic of %(month)s.", name=marked["name"], month=marked["month"]), "ok")
            first = month.replace(day=1)
            return redirect(url_for("staff.stats", **{"from": first.isoformat(), "to": _month_last(first).isoformat()})
                            + "#focus")
    return redirect(url_for("staff.stats") + "#focus")


@bp.post("/stats/appeals/<id:appeal_id>/decision")
@staff_only("stats.appeal_decide")
def stats_appeal_decision(appeal_id: int):
    """A supervisor upholds or rejects an appeal against counting from the figures page."""
    verdict = request.form.get("upheld")
    try:
        if verdict not in ("1", "0"):
            flash(_("The appeal was not decided: choose to uphold or to reject it."), "error")
        else:
            decide_appeal(me(), appeal_id, verdict == "1", request.form.get("decision", "")[:2000])
            flash(_("The appeal is upheld: the case no longer counts for the department.") if verdict == "1"
                  else _("The appeal is rejected: the case still counts for the department."), "ok")
    except MinyiError as exc:
        if exc.http_status == 403:
            raise
        flash(_("The appeal was not decided: %(reason)s", reason=translated(exc.message)), "error")
    return redirect(url_for("staff.stats") + "#appeals")


def _month_last(first: date) -> date:
    return (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


@bp.get("/stats/cases")
@staff_only("stats.read")
def stats_cases():
    """The cases behind one figure of the page (its period and filters), newest first, a page at a time."""
    values = _values()
    figure, part = request.args.get("figure", "")[:32], request.args.get("part") or None
    after = request.args.get("after", "")
    found, error = None, None
    try:
        period = period_from(request.args, last_month(local_today()))
        values.update({"from": period.first.isoformat(), "to": period.last.isoformat()})
        if figure not in LISTED or (part is not None and part not in PARTS) or (after and not (after.isdigit() and len(after) <= 18)):
            abort(404)
        found = cases_behind(me(), period, _filters(), Asked(figure, part), int(after) if after else None)
    except ValueError as exc:
        error = str(exc)
    except MinyiError as exc:
        if exc.http_status == 403:
            raise
        error = translated(exc.message)
    return render_template("staff/stats_cases.html", values=values, query={k: v for k, v in values.items() if v},
                           figure=figure, part=part, found=found,
                           error=error), 422 if error else 200


def _values() -> dict:
    return {key: request.args.get(key, "").strip()[:32] for key in ("from", "to", *FILTERS, "grain")}


@bp.get("/stats/export.<fmt>")
@staff_only("stats.read")
def stats_export(fmt: str):
    """The page's tables as CSV (`table`) or as a workbook, for the period and filters the page shows."""
    if fmt not in ("csv", "xlsx"):
        abort(404)
    table = request.args.get("table", "counts")
    if table not in TABLES:
        abort(404)
    try:
        period = period_from(request.args, last_month(local_today()))
    except ValueError:
        abort(404)
    filters = _filters()
    return exported(fmt, table, tables(me(), period, filters, (table,) if fmt == "csv" else TABLES), period)


def _filters() -> Filters:
    return Filters(**{key: (request.args.get(key) or "").strip()[:32] or None for key in FILTERS})
