"""The periodic reports' pages (/reports): the archive with each report's HTML and PDF, and making the report of a
period that is over (docs/statistics.md, "Periodic reports")."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.cases import policy
from app.cases.errors import MinyiError
from app.cases.reference import local_today
from app.cases.reports.periodic.archive import archived, generate, report_by_id
from app.cases.reports.periodic.periods import closed_periods

from ..figures import report_pdf_download
from ..locale import translated
from . import bp
from .session import me, staff_only


@bp.get("/reports")
@staff_only("report.read")
def reports():
    return render_template("staff/reports.html", reports=archived(), may_generate=policy.may(me(), "report.generate"),
                           suggested=closed_periods(local_today()))


@bp.post("/reports")
@staff_only("report.generate")
def report_generate():
    period = request.form.get("period", "")[:16]
    try:
        report, state = generate(period, me().username, request.form.get("again") == "1")
    except MinyiError as exc:
        if exc.http_status == 403:
            raise
        flash(_("The report was not made: %(reason)s", reason=translated(exc.message)), "error")
        return redirect(url_for("staff.reports"))
    flash({"created": _("The report of %(period)s is made and archived."),
           "kept": _("The report of %(period)s was archived already."),
           "unchanged": _("The report of %(period)s was drawn anew: nothing changed."),
           "replaced": _("The report of %(period)s was drawn anew from today's figures.")}[state] % {
        "period": report.period}, "ok")
    return redirect(url_for("staff.reports") + f"#report-{report.id}")


@bp.get("/reports/<id:report_id>")
@staff_only("report.read")
def report_view(report_id: int):
    return Response(_found(report_id).html, mimetype="text/html")


@bp.get("/reports/<id:report_id>.pdf")
@staff_only("report.read")
def report_pdf(report_id: int):
    return report_pdf_download(_found(report_id))


def _found(report_id: int):
    report = report_by_id(report_id)
    if report is None:
        abort(404)
    return report
