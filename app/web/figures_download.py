"""The figures as a download, for the API and the analysts' page alike: one table as CSV (streamed) or every table
as an XLSX workbook (app/cases/reports/export.py writes them)."""

from __future__ import annotations

from flask import Response, stream_with_context

from app.cases.reports.export import csv_lines, xlsx_bytes
from app.cases.reports.summary import Period

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def exported(fmt: str, table: str, found: dict[str, list[list]], period: Period) -> Response:
    """The tables as a download: CSV (the one table, streamed) or XLSX (every table a sheet)."""
    stem = f"minyi-{period.first.isoformat()}-{period.last.isoformat()}"
    if fmt == "csv":
        rows = found.get(table, [["no rows"]])
        return Response(stream_with_context(csv_lines(rows)), mimetype="text/csv", headers={
            "Content-Disposition": f'attachment; filename="{stem}-{table}.csv"'})
    return Response(xlsx_bytes(found), mimetype=XLSX, headers={"Content-Disposition": f'attachment; filename="{stem}.xlsx"'})
