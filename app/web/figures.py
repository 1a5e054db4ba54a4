"""What the figures' pages and routes share: the period a query string asks for, the figures as a download -- one
table as CSV (streamed) or every table as an XLSX workbook (app/cases/reports/export.py writes them) -- and a
periodic report's PDF as a download."""

from __future__ import annotations

from datetime import date

from flask import Response, stream_with_context
from flask_babel import gettext as _

from app.cases.reports.export import csv_lines, xlsx_bytes
from app.cases.reports.summary import Period

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EARLIEST, LATEST = date(2000, 1, 1), date(2099, 12, 31)


def period_from(args, default: Period) -> Period:
    """The period of the query string's `from` and `to` (YYYY-MM-DD; a missing one is the default's); ValueError
    with the translated reason for a date that is not one, or outside 2000-2099."""
    try:
        first, last = (date.fromisoformat(raw) if (raw := (args.get(key) or "").strip()[:10]) else fallback
                       for key, fallback in (("from", default.first), ("to", default.last)))
    except ValueError:
        raise ValueError(_("Give the dates as YYYY-MM-DD.")) from None
    if not (EARLIEST <= first <= LATEST and EARLIEST <= last <= LATEST):
        raise ValueError(_("Give dates between 2000 and 2099."))
    return Period(first, last)


def exported(fmt: str, table: str, found: dict[str, list[list]], period: Period) -> Response:
    """The tables as a download: CSV (the one table, streamed) or XLSX (every table a sheet)."""
    stem = f"minyi-{period.first.isoformat()}-{period.last.isoformat()}"
    if fmt == "csv":
        rows = found.get(table, [["no rows"]])
        return Response(stream_with_context(csv_lines(rows)), mimetype="text/csv", headers={
            "Content-Disposition": f'attachment; filename="{stem}-{table}.csv"'})
    return Response(xlsx_bytes(found), mimetype=XLSX, headers={"Content-Disposition": f'attachment; filename="{stem}.xlsx"'})


def report_pdf_download(report) -> Response:
    """An archived periodic report's PDF, named after its period."""
    return Response(report.pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="minyi-report-{report.period}.pdf"'})
