"""Messages to petitioners (admins): what left and what is stuck, and sending a dead or uncertain one again."""

from __future__ import annotations

from flask import jsonify

from app.cases import policy
from app.cases.messages.delivery_states import messages_page, retry_message, shown_body

from . import bp
from .auth import current_user, require
from .io import load_args
from .schemas import MessageListArgs

_ARGS = MessageListArgs()


def message_body(message, number: str | None) -> dict:
    """A message as the API shows it (a secret not yet blanked, masked)."""
    stamp = lambda value: value.isoformat() if value else None  # noqa: E731
    return {"id": message.id, "case": number, "kind": message.kind, "channel": message.channel,
            "recipient": message.recipient, "locale": message.locale, "subject": message.subject, "body": shown_body(message),
            "status": message.status, "attempts": message.attempts, "last_error": message.last_error,
            "created_at": stamp(message.created_at), "next_attempt_at": stamp(message.next_attempt_at),
            "sent_at": stamp(message.sent_at)}


@bp.get("/messages")
@require("message.view")
def list_messages():
    args = load_args(_ARGS)
    rows = messages_page(args["status"], args["before"], args["limit"], cleared=policy.cleared(current_user()))
    items = [message_body(r["message"], r["number"]) for r in rows]
    return jsonify({"items": items, "next": items[-1]["id"] if len(items) == args["limit"] else None})


@bp.post("/messages/<id:message_id>/retry")
@require("message.retry")
def retry(message_id: int):
    row = retry_message(message_id, current_user().username)
    return jsonify(message_body(row, None))
