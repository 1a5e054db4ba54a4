"""The incoming queue (e-mail intake): list the mails, register one as a case, reject one with a reason."""

from __future__ import annotations

from flask import jsonify

from app.cases.intake.appeal import parse_appeal
from app.cases.intake.incoming import incoming_items, register_incoming, reject_incoming

from . import bp
from .auth import current_user, require
from .io import json_object, load_args, load_body
from .outputs import CaseCreated
from .schemas import IncomingListArgs, RejectIn

_ARGS, _REJECT, _CREATED = IncomingListArgs(), RejectIn(), CaseCreated()


def incoming_body(item) -> dict:
    return {"id": item.id, "state": item.state, "received_at": item.received_at.isoformat(), "sender": item.sender,
            "sender_name": item.sender_name, "subject": item.subject, "body": item.body, "files": item.files,
            "case": item.case.number if item.case_id else None, "reason": item.reason, "note": item.note}


@bp.get("/incoming")
@require("incoming.work")
def list_incoming():
    args = load_args(_ARGS)
    items = incoming_items(current_user(), args["state"], args["before"], args["limit"])
    return jsonify({"items": [incoming_body(i) for i in items],
                    "next": items[-1].id if len(items) == args["limit"] else None})


@bp.post("/incoming/<id:item_id>/register")
@require("incoming.work")
def register(item_id: int):
    intake = register_incoming(current_user(), item_id, parse_appeal(json_object()))
    return jsonify(_CREATED.dump(intake)), 201


@bp.post("/incoming/<id:item_id>/reject")
@require("incoming.work")
def reject(item_id: int):
    body = load_body(_REJECT)
    item = reject_incoming(current_user(), item_id, body["reason"], body["note"])
    return jsonify(incoming_body(item))
