"""marshmallow schemas of the JSON API: what comes in is validated here, what goes out is dumped here."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from app.models import CATEGORIES, CHANNELS

PHONE = validate.Regexp(r"^[0-9+\-() ]{3,30}$", error="Not a valid phone number.")


class StrictSchema(Schema):
    class Meta:
        unknown = "raise"


class PetitionerIn(StrictSchema):
    name = fields.String(validate=validate.Length(max=200), load_default=None)
    phone = fields.String(validate=PHONE, load_default=None)
    email = fields.Email(validate=validate.Length(max=200), load_default=None)
    address = fields.String(validate=validate.Length(max=500), load_default=None)
    anonymous = fields.Boolean(load_default=False)

    @validates_schema
    def _name_unless_anonymous(self, data, **kwargs):
        if not data.get("anonymous") and not (data.get("name") or "").strip():
            raise ValidationError("Missing data for required field.", "name")


class LocationIn(StrictSchema):
    address = fields.String(validate=validate.Length(max=500), load_default=None)
    lat = fields.Float(validate=validate.Range(-90, 90), allow_nan=False, load_default=None)
    lon = fields.Float(validate=validate.Range(-180, 180), allow_nan=False, load_default=None)


class PartyIn(StrictSchema):
    name = fields.String(required=True, validate=validate.Length(1, 200))
    role = fields.String(required=True, validate=validate.Length(1, 100))
    phone = fields.String(validate=PHONE, load_default=None)


class CaseIn(StrictSchema):
    category = fields.String(required=True, validate=validate.OneOf(CATEGORIES))
    channel = fields.String(required=True, validate=validate.OneOf(CHANNELS))
    title = fields.String(required=True, validate=validate.Length(1, 200))
    description = fields.String(required=True, validate=validate.Length(1, 20000))
    petitioner = fields.Nested(PetitionerIn, required=True)
    location = fields.Nested(LocationIn, load_default=None)
    received_at = fields.AwareDateTime(load_default=None)
    parties = fields.List(fields.Nested(PartyIn), validate=validate.Length(max=50), load_default=None)
    department = fields.String(validate=validate.Length(1, 32), load_default=None)

    @validates_schema
    def _text_not_blank(self, data, **kwargs):
        for name in ("title", "description"):
            if name in data and not data[name].strip():
                raise ValidationError("Must not be blank.", name)


class CaseCreated(Schema):
    number = fields.String()
    category = fields.String()
    status = fields.String()
    received_at = fields.DateTime()
    due_at = fields.DateTime(allow_none=True)
    access_code = fields.String()


class PageArgs(StrictSchema):
    page = fields.Integer(validate=validate.Range(1, 100000), load_default=1)
    per_page = fields.Integer(validate=validate.Range(1, 200), load_default=50)


class CaseListArgs(PageArgs):
    status = fields.String(load_default=None)
    category = fields.String(validate=validate.OneOf(CATEGORIES), load_default=None)
    department = fields.String(load_default=None)
    overdue = fields.Boolean(load_default=False)
    q = fields.String(validate=validate.Length(max=200), load_default=None)
    per_page = fields.Integer(validate=validate.Range(1, 200), load_default=20)


class TaskListArgs(PageArgs):
    scope = fields.String(validate=validate.OneOf(("mine", "group", "all")), load_default="group")
    category = fields.String(validate=validate.OneOf(CATEGORIES), load_default=None)
    overdue = fields.Boolean(load_default=False)
    due_before = fields.AwareDateTime(load_default=None)
    sort = fields.String(validate=validate.OneOf(("due_at", "created_at")), load_default=None)


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


class PublicLookupArgs(StrictSchema):
    access_code = fields.String(required=True, validate=validate.Length(1, 32))


class ProcessUploadArgs(StrictSchema):
    dry_run = fields.Boolean(load_default=False)
    draft = fields.Boolean(load_default=False, metadata={"description": "store a draft: not published, not active"})


class ProcessVersionOut(Schema):
    key = fields.String()
    version = fields.Integer()
    name = fields.String(allow_none=True)
    hash = fields.String(metadata={"description": "bundle identity: executable BPMN (no layout) + forms"})
    state = fields.String(metadata={"enum": ["draft", "published"]})
    active = fields.Boolean(metadata={"description": "new cases of this key start on this version"})
    deployed_at = fields.String()
    deployed_by = fields.String(allow_none=True)
    running_cases = fields.Integer()


class ProcessDeployedOut(Schema):
    key = fields.String()
    version = fields.Integer(allow_none=True)
    created = fields.Boolean(metadata={"description": "false: the content equals an existing version (unchanged)"})
    state = fields.String()
    active = fields.Boolean()
    diagram_updated = fields.Boolean(metadata={"description": "layout-only change: the stored XML was replaced"})


class CatalogueEntryOut(Schema):
    category = fields.String(metadata={"enum": list(CATEGORIES)})
    process = fields.String(allow_none=True, metadata={"description": "process key; null when unbound"})


class CatalogueBindIn(StrictSchema):
    process = fields.String(required=True, validate=validate.Length(min=1, max=100))


class TaskOut(Schema):
    id = fields.String()
    case_number = fields.String()
    name = fields.String()
    title = fields.String()
    lane = fields.String(allow_none=True)
    group = fields.String(allow_none=True)
    assignee = fields.String(allow_none=True)
    form = fields.String(allow_none=True)
    state = fields.String()
    created_at = fields.DateTime()
    due_at = fields.DateTime(allow_none=True)
    sla_state = fields.String(allow_none=True)  # None, 'at_risk' or 'overdue'


class LedgerOut(Schema):
    at = fields.DateTime()
    actor = fields.String()
    action = fields.String()
    details = fields.Dict()


class ErrorOut(Schema):
    error = fields.Dict()


class HoldIn(StrictSchema):
    reason = fields.String(required=True, validate=validate.Length(1, 2000))


class NoticeListArgs(PageArgs):
    state = fields.String(validate=validate.OneOf(("open", "overdue", "answered", "closed")), load_default=None)


class NoticeIn(StrictSchema):
    case_number = fields.String(required=True, validate=validate.Length(1, 32))
    task_id = fields.String(validate=validate.Length(1, 36), load_default=None)
    message = fields.String(required=True, validate=validate.Length(1, 5000))
    reply_by = fields.AwareDateTime(required=True)


class NoticeReplyIn(StrictSchema):
    reply = fields.String(required=True, validate=validate.Length(1, 5000))


class NoticeOut(Schema):
    id = fields.Integer()
    kind = fields.String()
    case_number = fields.String()
    task_id = fields.String(allow_none=True)
    addressee = fields.String(allow_none=True)
    addressee_user = fields.String(allow_none=True)
    message = fields.String()
    reply_by = fields.DateTime()
    reply = fields.String(allow_none=True)
    replied_by = fields.String(allow_none=True)
    replied_at = fields.DateTime(allow_none=True)
    state = fields.String()
    created_by = fields.String()
    created_at = fields.DateTime()


class IncidentOut(Schema):
    id = fields.Integer()
    case_number = fields.String()
    kind = fields.String()
    message = fields.String()
    retries = fields.Integer()
    created_at = fields.DateTime()
    last_failed_at = fields.DateTime()
    next_retry_at = fields.DateTime()
