"""The supervisor console over HTTP: views of open work, workload, escalation, objections and re-routing."""

from __future__ import annotations

from flask import jsonify

from app.cases.supervision.console import Filters, supervised_tasks, workload
from app.cases.supervision.notices import escalate_case
from app.cases.supervision.routing import object_to_routing, reroute_case

from . import bp, present
from .auth import current_user, require
from .io import load_args, load_body
from .schemas import ConsoleArgs, ReasonIn, RerouteIn, WorkloadArgs
from .supervision import notice_body

_CONSOLE_ARGS, _WORKLOAD_ARGS, _REASON_IN, _REROUTE_IN = ConsoleArgs(), WorkloadArgs(), ReasonIn(), RerouteIn()


@bp.get("/supervision/tasks")
@require("console.view")
def console_tasks():
    args = load_args(_CONSOLE_ARGS)
    filters = Filters(args["department"], args["handler"], args["category"], args["channel"])
    page, counts = supervised_tasks(current_user(), args["view"], filters, args["page"], args["per_page"], args["after"])
    body = {"items": [present.task(t, number) for t, number, _ in page.items], "total": page.total, "counts": counts}
    if page.next:
        body["next"] = page.next
    return jsonify(body)


@bp.get("/supervision/workload")
@require("console.view")
def console_workload():
    items = workload(current_user(), load_args(_WORKLOAD_ARGS)["by"])
    return jsonify({"items": items, "total": len(items)})


@bp.post("/cases/<number>/escalate")
@require("case.escalate", "number")
def escalate(number: str):
    notice = escalate_case(current_user(), number, load_body(_REASON_IN)["reason"])
    return jsonify(notice_body(notice, number, "open")), 201


@bp.post("/cases/<number>/object")
@require("case.object", "number")
def object_to_routing_view(number: str):
    notice = object_to_routing(current_user(), number, load_body(_REASON_IN)["reason"])
    return jsonify(notice_body(notice, number, "open")), 201


@bp.post("/cases/<number>/reroute")
@require("case.reroute", "number")
def reroute(number: str):
    body = load_body(_REROUTE_IN)
    case = reroute_case(current_user(), number, body["department"], body["reason"])
    return jsonify(present.case_summary(case))
