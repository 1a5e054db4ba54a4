"""Figures (docs/statistics.md): the summary of a period, as numerators and denominators anyone can recount."""

from __future__ import annotations

from flask import Response, jsonify

from app.cases.reports.export import TABLES, tables
from app.cases.reports.hotspots import hotspots
from app.cases.reports.ranking import ranking
from app.cases.reports.summary import Filters, Period, summary

from ..figures import exported
from . import bp
from .auth import current_user, require
from .io import load_args
from .schemas import ExportArgs, PeriodArgs, StatsArgs

_ARGS, _PERIOD, _EXPORT = StatsArgs(), PeriodArgs(), ExportArgs()


@bp.get("/stats/summary")
@require("stats.read")
def stats_summary():
    args = load_args(_ARGS)
    period = Period(args.pop("from_"), args.pop("to"))
    return jsonify(summary(current_user(), period, Filters(**args)))


@bp.get("/stats/ranking")
@require("stats.read")
def stats_ranking():
    args = load_args(_PERIOD)
    return jsonify(ranking(current_user(), Period(args["from_"], args["to"])))


@bp.get("/stats/hotspots")
@require("stats.read")
def stats_hotspots():
    args = load_args(_ARGS)
    period = Period(args.pop("from_"), args.pop("to"))
    return jsonify(hotspots(current_user(), period, Filters(**args)))


@bp.get("/stats/export.csv")
@require("stats.read")
def stats_export_csv():
    return _export("csv")


@bp.get("/stats/export.xlsx")
@require("stats.read")
def stats_export_xlsx():
    return _export("xlsx")


def _export(fmt: str) -> Response:
    args = load_args(_EXPORT)
    table = args.pop("table")
    period = Period(args.pop("from_"), args.pop("to"))
    return exported(fmt, table, tables(current_user(), period, Filters(**args), (table,) if fmt == "csv" else TABLES),
                    period)
