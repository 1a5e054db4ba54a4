"""In-app notifications (SLA warnings, breaches, supervision notices, escalations)."""

from __future__ import annotations

from flask import jsonify

from app.cases.notifications import mark_read, notifications_for

from . import bp
from .auth import current_user, require
from .io import load_args
from .schemas import NotificationArgs

_ARGS = NotificationArgs()


def _dump(note) -> dict:
    return {"id": note.id, "kind": note.kind, "message": note.message, "task_id": note.task_id,
            "created_at": note.created_at.isoformat(), "read_at": note.read_at.isoformat() if note.read_at else None}


@bp.get("/notifications")
@require("signed_in")
def list_notifications():
    args = load_args(_ARGS)
    items, total = notifications_for(current_user(), args["unread"], args["page"], args["per_page"])
    return jsonify({"items": [_dump(n) for n in items], "total": total})


@bp.post("/notifications/<id:notification_id>/read")
@require("signed_in")
def read_notification(notification_id: int):
    return jsonify(_dump(mark_read(current_user(), notification_id)))
