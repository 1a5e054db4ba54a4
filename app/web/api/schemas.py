"""marshmallow schemas of the JSON API: what comes in is validated here, what goes out is dumped here."""

from __future__ import annotations

from datetime import date

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from app.cases.errors import T
from app.cases.fields import QueryBoolean, SaneDateTime, StrictBoolean
from app.cases.intake.appeal import AppealSchema
from app.cases.lists.inbox import DUE_WINDOWS, SCOPES
from app.models import CATEGORIES, CHANNELS, INCOMING_STATES, MESSAGE_STATES, REJECT_REASONS, TRANSITIONS
from app.web.gate import MAX_ID

STATUSES = tuple(TRANSITIONS)


class StrictSchema(Schema):
    class Meta:
        unknown = "raise"


class CaseIn(AppealSchema):
    """The body of POST /cases: an appeal (validated by the service layer, app/cases/intake/appeal.py; named here
    for the OpenAPI document)."""


class PageArgs(StrictSchema):
    page = fields.Integer(validate=validate.Range(1, 100000), load_default=1)
    per_page = fields.Integer(validate=validate.Range(1, 200), load_default=50)


class NotificationArgs(PageArgs):
    unread = QueryBoolean(load_default=False)


class MessageListArgs(StrictSchema):
    status = fields.String(validate=validate.OneOf(MESSAGE_STATES), load_default=None)
    before = fields.Integer(validate=validate.Range(1, MAX_ID), load_default=None)
    limit = fields.Integer(validate=validate.Range(1, 200), load_default=50)


class IncomingListArgs(StrictSchema):
    state = fields.String(validate=validate.OneOf(INCOMING_STATES), load_default="new")
    before = fields.Integer(validate=validate.Range(1, MAX_ID), load_default=None)
    limit = fields.Integer(validate=validate.Range(1, 200), load_default=50)


class RejectIn(StrictSchema):
    reason = fields.String(required=True, validate=validate.OneOf(REJECT_REASONS))
    note = fields.String(validate=validate.Length(max=2000), load_default=None)


class CaseListArgs(PageArgs):
    status = fields.String(validate=validate.OneOf(STATUSES), load_default=None)
    category = fields.String(validate=validate.OneOf(CATEGORIES), load_default=None)
    channel = fields.String(validate=validate.OneOf(CHANNELS), load_default=None)
    department = fields.String(validate=validate.Length(max=32), load_default=None)
    overdue = QueryBoolean(load_default=False)
    received_from = SaneDateTime(load_default=None, metadata={"description": "received at or after (ISO-8601)"})
    received_to = SaneDateTime(load_default=None, metadata={"description": "received before (ISO-8601)"})
    q = fields.String(validate=validate.Length(max=200), load_default=None, metadata={
        "description": "a whole case number; 3 or more digits that start or end a number; 2 or more characters "
                       "found in the title"})
    per_page = fields.Integer(validate=validate.Range(1, 200), load_default=20)
    after = fields.String(validate=validate.Length(max=200), load_default=None,
                          metadata={"description": "the `next` cursor of the previous page"})


class TaskListArgs(PageArgs):
    scope = fields.String(validate=validate.OneOf(("mine", "group", "all")), load_default="group")
    category = fields.String(validate=validate.OneOf(CATEGORIES), load_default=None)
    overdue = QueryBoolean(load_default=False)
    due_before = SaneDateTime(load_default=None)
    sort = fields.String(validate=validate.OneOf(("due_at", "created_at")), load_default=None)
    after = fields.String(validate=validate.Length(1, 200), load_default=None)  # the `next` cursor of a page


class AssignIn(StrictSchema):
    user = fields.String(load_default=None)
    group = fields.String(load_default=None)
    reason = fields.String(required=True, validate=validate.Length(1, 2000))


class BulkAssignIn(AssignIn):
    ids = fields.List(fields.String(validate=validate.Length(1, 36)), required=True, validate=validate.Length(1, 500))


class RatingIn(StrictSchema):
    access_code = fields.String(required=True, validate=validate.Length(1, 32))
    score = fields.Integer(required=True, strict=True, validate=validate.Range(1, 5))
    comment = fields.String(validate=validate.Length(max=2000), load_default=None)
    resolved = fields.Boolean(truthy={True}, falsy={False}, load_default=None, allow_none=True,
                              metadata={"description": "is the problem resolved, in the petitioner's own word"})


class PublicLookupArgs(StrictSchema):
    access_code = fields.String(required=True, validate=validate.Length(1, 32))


class ProcessUploadArgs(StrictSchema):
    dry_run = QueryBoolean(load_default=False)
    draft = QueryBoolean(load_default=False, metadata={"description": "store a draft: not published, not active"})
    new_version = QueryBoolean(load_default=False, metadata={
        "description": "confirm that a diagram unlike the stored one with its process id is a new version of it"})
    default_group = fields.String(validate=validate.Length(1, 100), metadata={
        "description": "the group doing the process's tasks that are in no lane and name no candidate group: role, "
                       "role@* (the case's department) or role@CODE; checked before anything is stored"})


class CatalogueBindIn(StrictSchema):
    process = fields.String(required=True, validate=validate.Length(min=1, max=100))


class HoldIn(StrictSchema):
    reason = fields.String(required=True, validate=validate.Length(1, 2000))


class ReasonIn(StrictSchema):
    reason = fields.String(required=True, validate=validate.Length(1, 2000))


class AppealDecisionIn(StrictSchema):
    upheld = StrictBoolean(required=True)
    decision = fields.String(required=True, validate=validate.Length(1, 2000))


class AppealListArgs(StrictSchema):
    state = fields.String(validate=validate.OneOf(("pending", "upheld", "rejected")), load_default=None)


class ConfidentialityIn(ReasonIn):
    confidential = StrictBoolean(required=True)


class PublicReasonIn(ReasonIn):
    access_code = fields.String(required=True, validate=validate.Length(1, 32))


class NoticeListArgs(PageArgs):
    state = fields.String(validate=validate.OneOf(("open", "overdue", "answered", "closed")), load_default=None)


class NoticeIn(StrictSchema):
    case_number = fields.String(required=True, validate=validate.Length(1, 32))
    task_id = fields.String(validate=validate.Length(1, 36), load_default=None)
    message = fields.String(required=True, validate=validate.Length(1, 5000))
    reply_by = SaneDateTime(required=True)


class NoticeReplyIn(StrictSchema):
    reply = fields.String(required=True, validate=validate.Length(1, 5000))


class ConsoleArgs(PageArgs):
    view = fields.String(validate=validate.OneOf(("overdue", "due_today", "due_tomorrow", "due_this_week", "at_risk", "stalled",
                                                  "unassigned", "all")), load_default="overdue")
    department = fields.String(validate=validate.Length(1, 32), load_default=None)
    handler = fields.String(validate=validate.Length(1, 64), load_default=None)
    category = fields.String(validate=validate.OneOf(CATEGORIES), load_default=None)
    channel = fields.String(validate=validate.OneOf(CHANNELS), load_default=None)
    after = fields.String(validate=validate.Length(1, 200), load_default=None)  # the `next` cursor of a page


class WorkloadArgs(StrictSchema):
    by = fields.String(validate=validate.OneOf(("handler", "department")), load_default="handler")


class RerouteIn(ReasonIn):
    department = fields.String(required=True, validate=validate.Length(1, 32))


class FilterSetIn(StrictSchema):
    """The inbox's filters (GET /tasks takes the same); any may be left out."""

    scope = fields.String(validate=validate.OneOf(SCOPES))
    category = fields.String(validate=validate.OneOf(CATEGORIES))
    sla = fields.String(validate=validate.OneOf(["overdue", "at_risk"]))
    due = fields.String(validate=validate.OneOf(DUE_WINDOWS))
    q = fields.String(validate=validate.Length(max=100))


class SavedFilterIn(StrictSchema):
    name = fields.String(required=True, validate=validate.Length(1, 100))
    filters = fields.Nested(FilterSetIn, required=True)
    shared_with = fields.String(validate=validate.Length(1, 100), load_default=None,
                                metadata={"description": "one of my groups (e.g. handler@ENV); left out: private"})


class LookupArgs(StrictSchema):
    phone = fields.String(validate=validate.Length(max=50), load_default=None)
    email = fields.String(validate=validate.Length(max=200), load_default=None)
    id_number = fields.String(validate=validate.Length(max=30), load_default=None)


class MergeIn(StrictSchema):
    into = fields.Integer(required=True, validate=validate.Range(1, MAX_ID))
    reason = fields.String(required=True, validate=validate.Length(1, 2000))


class RepeatedArgs(StrictSchema):
    days = fields.Integer(validate=validate.Range(1, 3660), load_default=30)
    at_least = fields.Integer(validate=validate.Range(2, 1000), load_default=2)


class CandidatePetitionerIn(StrictSchema):
    phone = fields.String(validate=validate.Length(max=50), load_default=None)
    email = fields.String(validate=validate.Length(max=200), load_default=None)
    id_number = fields.String(validate=validate.Length(max=30), load_default=None)
    name = fields.String(validate=validate.Length(max=200), load_default=None)


class CandidatesIn(StrictSchema):
    title = fields.String(required=True, validate=validate.Length(1, 200))
    description = fields.String(validate=validate.Length(max=20000), load_default=None)
    petitioner = fields.Nested(CandidatePetitionerIn, load_default=None)
    topic = fields.String(validate=validate.Length(1, 32), load_default=None)
    area = fields.String(validate=validate.Length(1, 32), load_default=None)


class PeriodArgs(StrictSchema):
    from_ = fields.Date(required=True, data_key="from", validate=validate.Range(date(2000, 1, 1), date(2099, 12, 31)))
    to = fields.Date(required=True, validate=validate.Range(date(2000, 1, 1), date(2099, 12, 31)))


class PublicStatsArgs(StrictSchema):
    """Both dates or neither (the last twelve whole months)."""

    from_ = fields.Date(data_key="from", validate=validate.Range(date(2000, 1, 1), date(2099, 12, 31)), load_default=None)
    to = fields.Date(validate=validate.Range(date(2000, 1, 1), date(2099, 12, 31)), load_default=None)

    @validates_schema
    def _both_or_neither(self, data, **kwargs):
        if (data.get("from_") is None) != (data.get("to") is None):
            raise ValidationError(T('Give both dates, or neither for the last twelve months.'), "to")


class StatsArgs(PeriodArgs):
    department = fields.String(validate=validate.Length(1, 32), load_default=None)
    category = fields.String(validate=validate.OneOf(CATEGORIES), load_default=None)
    channel = fields.String(validate=validate.OneOf(CHANNELS), load_default=None)
    topic = fields.String(validate=validate.Length(1, 32), load_default=None)
    area = fields.String(validate=validate.Length(1, 32), load_default=None)
    handler = fields.String(validate=validate.Length(1, 64), load_default=None)


class TrendArgs(StatsArgs):
    grain = fields.String(validate=validate.OneOf(("day", "week", "month")), load_default=None)


class DrillArgs(StatsArgs):
    figure = fields.String(required=True, validate=validate.Length(1, 32))
    part = fields.String(validate=validate.OneOf(("numerator", "denominator", "missed")), load_default=None)
    after = fields.Integer(validate=validate.Range(1, 2**62), load_default=None)
    limit = fields.Integer(validate=validate.Range(1, 100), load_default=50)


class FocusIn(StrictSchema):
    month = fields.Date(required=True, format="%Y-%m", validate=validate.Range(date(2000, 1, 1), date(2099, 12, 1)),
                        metadata={"description": "YYYY-MM"})
    topic = fields.String(required=True, validate=validate.Length(1, 32))
    note = fields.String(validate=validate.Length(max=2000), load_default="")


class ReportIn(StrictSchema):
    period = fields.String(required=True, validate=validate.Length(4, 7),
                           metadata={"description": "a month (2026-11), a quarter (2026-Q4) or a year (2026)"})
    again = fields.Boolean(load_default=False, metadata={"description": "draw an archived report anew"})


class ReportListArgs(StrictSchema):
    kind = fields.String(validate=validate.OneOf(("month", "quarter", "year")), load_default=None)


class ExportArgs(StatsArgs):
    table = fields.String(validate=validate.OneOf(("counts", "rates", "trend", "ranking", "topics", "areas", "words")),
                          load_default="counts")


class RepeatOfIn(StrictSchema):
    original = fields.String(required=True, validate=validate.Length(1, 32))


class SuggestionArgs(StrictSchema):
    title = fields.String(validate=validate.Length(max=200), load_default=None)
    description = fields.String(validate=validate.Length(max=20000), load_default=None)
    address = fields.String(validate=validate.Length(max=500), load_default=None)


class ClassificationIn(StrictSchema):
    """Only the keys given change; null clears one."""

    topic = fields.String(validate=validate.Length(1, 32), allow_none=True)
    area = fields.String(validate=validate.Length(1, 32), allow_none=True)


class SearchArgs(StrictSchema):
    q = fields.String(required=True, validate=validate.Length(1, 100))
