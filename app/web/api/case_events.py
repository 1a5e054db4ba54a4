"""A message to a case's process from outside (a BPMN message catch event): `POST /cases/{number}/events/{name}`."""

from __future__ import annotations

from flask import jsonify
from marshmallow import Schema, fields

from app.cases.work.events import send_to_case

from . import bp
from .auth import current_user, require
from .io import load_body
from .schemas import StrictSchema


class CaseEventIn(StrictSchema):
    data = fields.Dict(keys=fields.String(), load_default=dict, metadata={
        "description": "what the message carries: the process's data at the catching event"})


class CaseEventOut(Schema):
    case_number = fields.String()
    message = fields.String()
    status = fields.String(metadata={"description": "the case's status after the process moved on"})


_CASE_EVENT_IN = CaseEventIn()


@bp.post("/cases/<number>/events/<name>")
@require("case.message", "number")
def case_event(number: str, name: str):
    body = load_body(_CASE_EVENT_IN)
    return jsonify(send_to_case(current_user(), number, name, body["data"]))
