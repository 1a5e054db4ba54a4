"""The periodic reports (docs/statistics.md, "Periodic reports"): the archive, a report's PDF and HTML, and making
one for a period that is over."""

from __future__ import annotations

from flask import Response, jsonify

from app.cases import errors
from app.cases.errors import T
from app.cases.reports.periodic.archive import archived, generate, report_by_id

from ..figures import report_pdf_download
from . import bp
from .auth import current_user, require
from .io import load_args, load_body
from .report_outputs import ReportOut
from .schemas import ReportIn, ReportListArgs

_IN, _LIST, _OUT = ReportIn(), ReportListArgs(), ReportOut()


@bp.get("/reports")
@require("report.read")
def reports():
    return jsonify({"items": _OUT.dump(archived(load_args(_LIST)["kind"]), many=True)})


@bp.post("/reports")
@require("report.generate")
def report_generate():
    body = load_body(_IN)
    report, state = generate(body["period"], current_user().username, body["again"])
    return jsonify({**_OUT.dump(report), "state": state}), 201 if state == "created" else 200


@bp.get("/reports/<id:report_id>.pdf")
@require("report.read")
def report_pdf(report_id: int):
    return report_pdf_download(_found(report_id))


@bp.get("/reports/<id:report_id>.html")
@require("report.read")
def report_html(report_id: int):
    return Response(_found(report_id).html, mimetype="text/html")


def _found(report_id: int):
    report = report_by_id(report_id)
    if report is None:
        raise errors.NotFoundError(T('no report %(id)s', id=report_id))
    return report
