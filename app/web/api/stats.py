"""Figures (docs/statistics.md): the summary of a period, as numerators and denominators anyone can recount."""

from __future__ import annotations

from flask import Response, jsonify

from app.cases.reports.appeals import appeals, decide_appeal, file_appeal
from app.cases.reports.drilldown import Asked, cases_behind
from app.cases.reports.export import TABLES, tables
from app.cases.reports.focus import focus_topics, mark_focus
from app.cases.reports.hotspots import hotspots
from app.cases.reports.ranking import ranking
from app.cases.reports.summary import Filters, Period, summary
from app.cases.reports.trends import default_grain, trend

from ..figures import exported
from . import bp, present
from .auth import current_user, require
from .io import load_args, load_body
from .report_outputs import AppealOut
from .schemas import (
    AppealDecisionIn,
    AppealListArgs,
    DrillArgs,
    ExportArgs,
    FocusIn,
    PeriodArgs,
    ReasonIn,
    StatsArgs,
    TrendArgs,
)

_ARGS, _PERIOD, _EXPORT, _TREND, _DRILL = StatsArgs(), PeriodArgs(), ExportArgs(), TrendArgs(), DrillArgs()
_REASON, _DECISION, _APPEALS, _OUT = ReasonIn(), AppealDecisionIn(), AppealListArgs(), AppealOut()
_FOCUS = FocusIn()


@bp.get("/stats/summary")
@require("stats.read")
def stats_summary():
    args = load_args(_ARGS)
    period = Period(args.pop("from_"), args.pop("to"))
    return jsonify(summary(current_user(), period, Filters(**args)))


@bp.get("/stats/trend")
@require("stats.read")
def stats_trend():
    args = load_args(_TREND)
    period = Period(args.pop("from_"), args.pop("to"))
    grain = args.pop("grain") or default_grain(period)
    return jsonify(trend(current_user(), period, Filters(**args), grain))


@bp.get("/stats/cases")
@require("stats.read")
def stats_cases():
    args = load_args(_DRILL)
    period = Period(args.pop("from_"), args.pop("to"))
    asked, after, limit = Asked(args.pop("figure"), args.pop("part")), args.pop("after"), args.pop("limit")
    found = cases_behind(current_user(), period, Filters(**args), asked, after, limit)
    return jsonify({"items": [present.case_summary(c) for c in found["items"]],
                    "next": str(found["next"]) if found["next"] else None})


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


@bp.get("/stats/focus")
@require("stats.read")
def stats_focus():
    args = load_args(_PERIOD)
    return jsonify({"items": focus_topics(current_user(), Period(args["from_"], args["to"]))})


@bp.post("/stats/focus")
@require("stats.focus")
def stats_focus_mark():
    body = load_body(_FOCUS)
    return jsonify(mark_focus(current_user(), body["month"], body["topic"], body["note"])), 201


@bp.post("/cases/<number>/counting-appeals")
@require("stats.appeal", "number")
def counting_appeal(number: str):
    appeal = file_appeal(current_user(), number, load_body(_REASON)["reason"])
    return jsonify(_appeal(appeal.id)), 201


@bp.get("/stats/appeals")
@require("stats.read")
def counting_appeals():
    return jsonify({"items": _OUT.dump(appeals(current_user(), load_args(_APPEALS)["state"]), many=True)})


@bp.post("/stats/appeals/<id:appeal_id>/decision")
@require("stats.appeal_decide")
def counting_appeal_decision(appeal_id: int):
    body = load_body(_DECISION)
    appeal = decide_appeal(current_user(), appeal_id, body["upheld"], body["decision"])
    return jsonify(_appeal(appeal.id))


def _appeal(appeal_id: int) -> dict:
    return _OUT.dump(next(a for a in appeals(current_user(), None) if a["id"] == appeal_id))


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
