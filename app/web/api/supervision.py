"""Supervision notices (督办单), incidents, and the system's clocks."""

from __future__ import annotations

from flask import current_app, jsonify

from app.cases import records
from app.cases.clocks.heartbeat import scheduler_status
from app.cases.clocks.incidents import open_incidents
from app.cases.clocks.timers import retry_incidents
from app.cases.supervision.notices import issue_notice, notices_for, reply_to_notice

from . import bp
from .admin_outputs import IncidentOut
from .auth import current_user, require
from .io import load_args, load_body
from .outputs import NoticeOut
from .schemas import NoticeIn, NoticeListArgs, NoticeReplyIn

_NOTICE_ARGS, _NOTICE_IN, _REPLY_IN = NoticeListArgs(), NoticeIn(), NoticeReplyIn()
_NOTICE_OUT, _INCIDENT_OUT = NoticeOut(), IncidentOut()


def notice_body(notice, case_number: str, state: str) -> dict:
    return _NOTICE_OUT.dump({**{c: getattr(notice, c) for c in (
        "id", "kind", "task_id", "addressee_user", "message", "reply_by", "reply", "replied_by", "replied_at",
        "created_by", "created_at")}, "addressee": notice.addressee_group, "case_number": case_number, "state": state})


def incident_body(incident) -> dict:
    return _INCIDENT_OUT.dump({**{c: getattr(incident, c) for c in (
        "id", "kind", "message", "retries", "created_at", "last_failed_at", "next_retry_at")},
        "case_number": records.case_number_of(incident.case_id)})


@bp.get("/notices")
@require("notice.list")
def list_notices():
    page = notices_for(current_user(), **load_args(_NOTICE_ARGS))
    return jsonify({"items": [notice_body(n, number, state) for n, number, state in page.items], "total": page.total})


@bp.post("/notices")
@require("notice.issue")
def create_notice():
    body = load_body(_NOTICE_IN)
    notice = issue_notice(current_user(), body["case_number"], body["task_id"], body["message"], body["reply_by"])
    return jsonify(notice_body(notice, body["case_number"], "open")), 201


@bp.post("/notices/<id:notice_id>/reply")
@require("notice.reply", "notice_id")
def reply_notice(notice_id: int):
    notice = reply_to_notice(current_user(), notice_id, load_body(_REPLY_IN)["reply"])
    return jsonify(notice_body(notice, records.case_number_of(notice.case_id), "answered"))


@bp.get("/incidents")
@require("incident.manage")
def list_incidents():
    items = open_incidents(current_user())
    return jsonify({"items": [incident_body(i) for i in items], "total": len(items)})


@bp.get("/system")
@require("system.view")
def system_status():
    """The schedulers' heartbeats and the open incidents: whether the clocks are running."""
    return jsonify({"scheduler": scheduler_status(current_app.config["MINYI_READY_SCHEDULER_SECONDS"]),
                    "open_incidents": len(open_incidents(current_user()))})


@bp.post("/incidents/<id:incident_id>/retry")
@require("incident.manage")
def retry_incident(incident_id: int):
    [(iid, resolved)] = retry_incidents(current_user(), incident_id)
    return jsonify({"id": iid, "resolved": resolved})
