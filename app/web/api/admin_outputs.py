"""What the API answers administrators: accounts and their tokens, incidents, the schedulers' heartbeats."""

from __future__ import annotations

from marshmallow import Schema, fields


class IncidentOut(Schema):
    id = fields.Integer()
    case_number = fields.String()
    kind = fields.String()
    message = fields.String()
    retries = fields.Integer()
    created_at = fields.DateTime()
    last_failed_at = fields.DateTime()
    next_retry_at = fields.DateTime()


class IncidentListOut(Schema):
    items = fields.List(fields.Nested(IncidentOut))
    total = fields.Integer()


class IncidentRetryOut(Schema):
    id = fields.Integer()
    resolved = fields.Boolean(metadata={"description": "false: it failed again and stays open"})


class SchedulerOut(Schema):
    name = fields.String(metadata={"description": "host:pid"})
    started_at = fields.String()
    beat_at = fields.String()
    age_seconds = fields.Float()
    last_sweep_at = fields.String(allow_none=True)
    fired = fields.Integer(metadata={"description": "timers fired since it started"})


class SchedulerStatusOut(Schema):
    running = fields.Boolean(metadata={"description": "a heartbeat within stale_seconds"})
    schedulers = fields.List(fields.Nested(SchedulerOut))
    stale_seconds = fields.Integer()


class SystemOut(Schema):
    scheduler = fields.Nested(SchedulerStatusOut)
    open_incidents = fields.Integer()


class TokenOut(Schema):
    id = fields.Integer()
    user = fields.String()
    name = fields.String()
    created_at = fields.DateTime()
    expires_at = fields.DateTime()
    revoked_at = fields.DateTime(allow_none=True)
    state = fields.String(metadata={"enum": ["active", "expired", "revoked"]})


class TokenListOut(Schema):
    items = fields.List(fields.Nested(TokenOut))
    total = fields.Integer()


class UserOut(Schema):
    username = fields.String()
    display_name = fields.String()
    roles = fields.List(fields.String())
    department = fields.String(allow_none=True)
    active = fields.Boolean()
    deactivated_at = fields.DateTime(allow_none=True)


class MessageOut(Schema):
    id = fields.Integer()
    case = fields.String(allow_none=True, metadata={"description": "the case number (none for a staff message)"})
    kind = fields.String(allow_none=True, metadata={"enum": ["receipt", "accepted", "not_accepted", "routed", "extended",
                                                             "answered", "closed"]})
    channel = fields.String(metadata={"enum": ["email", "sms"]})
    recipient = fields.String(allow_none=True)
    locale = fields.String(allow_none=True)
    subject = fields.String(allow_none=True)
    body = fields.String(allow_none=True)
    status = fields.String(metadata={"enum": ["pending", "sending", "sent", "dead", "uncertain", "dropped"]})
    attempts = fields.Integer()
    last_error = fields.String(allow_none=True)
    created_at = fields.DateTime()
    next_attempt_at = fields.DateTime(allow_none=True)
    sent_at = fields.DateTime(allow_none=True)


class MessageListOut(Schema):
    items = fields.List(fields.Nested(MessageOut))
    next = fields.Integer(allow_none=True, metadata={"description": "pass as `before` for the next (older) page"})


class IncomingFileOut(Schema):
    filename = fields.String()
    content_type = fields.String()
    size = fields.Integer()
    sha256 = fields.String()


class IncomingOut(Schema):
    id = fields.Integer()
    state = fields.String(metadata={"enum": ["new", "registered", "attached", "rejected"]})
    received_at = fields.DateTime()
    sender = fields.String()
    sender_name = fields.String()
    subject = fields.String()
    body = fields.String()
    files = fields.List(fields.Nested(IncomingFileOut))
    case = fields.String(allow_none=True, metadata={"description": "the case it was registered as or joined"})
    reason = fields.String(allow_none=True)
    note = fields.String(allow_none=True)


class IncomingListOut(Schema):
    items = fields.List(fields.Nested(IncomingOut))
    next = fields.Integer(allow_none=True, metadata={"description": "pass as `before` for the next (older) page"})
