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
