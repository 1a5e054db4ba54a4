"""marshmallow schemas of what the JSON API answers: the views dump through some of them, and the
OpenAPI document describes every response with them."""

from __future__ import annotations

from marshmallow import Schema, fields

from app.models import CATEGORIES

from .admin_outputs import IncidentOut


class CaseCreated(Schema):
    number = fields.String()
    category = fields.String()
    status = fields.String()
    received_at = fields.DateTime()
    due_at = fields.DateTime(allow_none=True)
    access_code = fields.String()
    accept_by = fields.DateTime(allow_none=True, metadata={"description": "the appeal is accepted or refused by then"})
    answer_by = fields.DateTime(allow_none=True, metadata={"description": "the answer at the latest, as things stand"})


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
    claimed_at = fields.DateTime(allow_none=True)  # lifecycle: how long it waited, and with whom
    reassigned_at = fields.DateTime(allow_none=True)
    completed_at = fields.DateTime(allow_none=True)


class LedgerOut(Schema):
    at = fields.DateTime()
    actor = fields.String()
    action = fields.String()
    details = fields.Dict()


class ErrorOut(Schema):
    error = fields.Dict()


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


class CaseSummaryOut(Schema):
    number = fields.String()
    category = fields.String(metadata={"enum": list(CATEGORIES)})
    channel = fields.String()
    title = fields.String()
    status = fields.String()
    department = fields.String(allow_none=True)
    received_at = fields.String()
    due_at = fields.String(allow_none=True)
    closed_at = fields.String(allow_none=True)
    satisfaction = fields.Integer(allow_none=True)
    on_hold = fields.Boolean()
    topic = fields.String(allow_none=True, metadata={"description": "the topic's code (事项分类)"})
    area = fields.String(allow_none=True, metadata={"description": "the area's code (属地)"})
    confidential = fields.Boolean(metadata={"description": "seen by staff cleared for confidential cases only"})


class ConfidentialityOut(Schema):
    number = fields.String()
    confidential = fields.Boolean()


class CaseListOut(Schema):
    items = fields.List(fields.Nested(CaseSummaryOut))
    total = fields.Integer(metadata={"description": "counted up to 1,001 (more than 1,000)"})
    next = fields.String(allow_none=True, metadata={"description": "pass as `after` for the next page; null: the last"})


class HeldOut(CaseSummaryOut):
    held_since = fields.String(allow_none=True)


class PetitionerOut(Schema):
    anonymous = fields.Boolean()
    name = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    email = fields.String(allow_none=True)
    address = fields.String(allow_none=True)
    masked = fields.Boolean(metadata={"description": "personal data shortened for a role that does not need it"})


class CaseDetailOut(CaseSummaryOut):
    description = fields.String()
    location = fields.Dict()
    answer = fields.String(allow_none=True)
    satisfaction_comment = fields.String(allow_none=True)
    satisfaction_source = fields.String(allow_none=True, metadata={
        "description": "who rated: petitioner (online), visit (on the follow-up visit), none (closed without a rating)"})
    follow_up = fields.String(allow_none=True, metadata={"description": "the follow-up visit: resolved, not_resolved, "
                                                                          "unreachable"})
    petitioner = fields.Nested(PetitionerOut, allow_none=True)
    parties = fields.List(fields.Dict())
    open_tasks = fields.List(fields.Nested(TaskOut))
    process = fields.Dict(allow_none=True, metadata={"description": "{key, version, completed}"})
    notices = fields.List(fields.Nested(NoticeOut))
    incidents = fields.List(fields.Nested(IncidentOut), metadata={"description": "admins only"})
    links = fields.Dict(metadata={"description": "{review_of, review_level, reviewed_by}: review (复查/复核) links"})


class TaskListOut(Schema):
    items = fields.List(fields.Nested(TaskOut))
    total = fields.Integer()


class FormFieldOut(Schema):
    name = fields.String()
    type = fields.String(metadata={"enum": ["string", "text", "integer", "number", "boolean", "date", "datetime", "choice",
                                            "multichoice", "department", "user"]})
    label = fields.String()
    required = fields.Boolean()
    required_when = fields.Dict()
    required_with = fields.String()
    choices = fields.List(fields.Dict(), metadata={"description": "[{value, label}]"})
    min = fields.Float()
    max = fields.Float()
    max_length = fields.Integer()


class FormOut(Schema):
    id = fields.String(allow_none=True)
    title = fields.String()
    fields = fields.List(fields.Nested(FormFieldOut))


class TaskDetailOut(TaskOut):
    case = fields.Nested(CaseSummaryOut)
    form = fields.Nested(FormOut)
    values = fields.Dict(metadata={"description": "what the case's data already holds for the form's fields (earlier "
                                                  "steps' decisions); a field left out of the completion keeps it"})
    offered_to = fields.List(fields.String(), metadata={
        "description": "the users the diagram offers the task to by name (several candidate users); any one claims it"})


class CompletedOut(Schema):
    case = fields.Dict(metadata={"description": "{number, status}"})
    next_tasks = fields.List(fields.Nested(TaskOut))


class NotificationOut(Schema):
    id = fields.Integer()
    kind = fields.String()
    message = fields.String()
    task_id = fields.String(allow_none=True)
    created_at = fields.String()
    read_at = fields.String(allow_none=True)


class NotificationListOut(Schema):
    items = fields.List(fields.Nested(NotificationOut))
    total = fields.Integer()


class NoticeListOut(Schema):
    items = fields.List(fields.Nested(NoticeOut))
    total = fields.Integer()


class PublicCaseOut(Schema):
    number = fields.String()
    category = fields.String()
    status = fields.String()
    received_at = fields.String()
    due_at = fields.String(allow_none=True)
    closed_at = fields.String(allow_none=True)
    answer = fields.String(allow_none=True, metadata={"description": "the latest answer given (kept while re-handled)"})
    history = fields.List(fields.Dict(), metadata={
        "description": "[{at, kind: answer, answer} | {at, kind: rating, score, comment}]: every answer and rating"})
    satisfaction = fields.Integer(allow_none=True)
    accept_by = fields.String(allow_none=True, metadata={"description": "acceptance (受理) by"})
    answer_by = fields.String(allow_none=True, metadata={"description": "the answer by, extensions included"})
    answer_by_changes = fields.List(fields.Dict(), metadata={
        "description": "[{at, answer_by, because (accepted | extended | changed), reason}]: each new answer date and why"})
    extensions = fields.List(fields.Dict(), metadata={"description": "[{at, due_at, reason}]: extensions and why"})


class ConsoleListOut(Schema):
    items = fields.List(fields.Nested(TaskOut))
    total = fields.Integer(metadata={"description": "counted up to 1,001 (more than 1,000)"})
    counts = fields.Dict(metadata={"description": "the count of every view under the same filters, each up to 1,001"})
    next = fields.String(metadata={"description": "the cursor of the next page (pass as `after`); absent on the last"})


class WorkloadOut(Schema):
    name = fields.String(allow_none=True, metadata={"description": "the handler's user name, or the department code"})
    open = fields.Integer()
    overdue = fields.Integer()
    at_risk = fields.Integer()
    oldest_open_since = fields.String(allow_none=True)


class WorkloadListOut(Schema):
    items = fields.List(fields.Nested(WorkloadOut))
    total = fields.Integer()


class SavedFilterOut(Schema):
    id = fields.Integer()
    name = fields.String()
    owner = fields.String()
    filters = fields.Dict(keys=fields.String(), values=fields.String())
    shared_with = fields.String(allow_none=True)
    created_at = fields.DateTime()


class SavedFilterListOut(Schema):
    items = fields.List(fields.Nested(SavedFilterOut))
    total = fields.Integer()


class DraftOut(Schema):
    task_id = fields.String()
    data = fields.Dict(metadata={"description": "the form fields as saved, not validated"})
    saved_at = fields.DateTime()


class AttachmentOut(Schema):
    id = fields.Integer()
    filename = fields.String()
    content_type = fields.String()
    size = fields.Integer(metadata={"description": "bytes"})
    sha256 = fields.String()
    uploaded_by = fields.String()
    uploaded_at = fields.DateTime()
    url = fields.String(metadata={"description": "GET it for the file"})


class AttachmentListOut(Schema):
    items = fields.List(fields.Nested(AttachmentOut))
    total = fields.Integer()


class PersonalDataAccessOut(Schema):
    at = fields.DateTime()
    actor = fields.String()
    channel = fields.String(metadata={"enum": ["api", "page"]})
    what = fields.String(metadata={"enum": ["petitioner", "confidential"], "description":
                                   "the petitioner's unmasked data, or a request naming a confidential case"})


class AccessLogOut(Schema):
    items = fields.List(fields.Nested(PersonalDataAccessOut))
    total = fields.Integer()
