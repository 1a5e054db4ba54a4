"""marshmallow schemas of the version diff and of migrations: what comes in and what goes out."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.cases.fields import StrictBoolean
from app.web.gate import MAX_ID

from .schemas import StrictSchema

VERSION = validate.Range(1, MAX_ID)


class VersionPairArgs(StrictSchema):
    from_ = fields.Integer(required=True, data_key="from", validate=VERSION, metadata={"description": "the older version"})
    to = fields.Integer(required=True, validate=VERSION, metadata={"description": "the version to compare with"})


class MigrationIn(StrictSchema):
    from_ = fields.Integer(required=True, strict=True, data_key="from", validate=VERSION,
                           metadata={"description": "the version the cases run on now"})
    to = fields.Integer(required=True, strict=True, validate=VERSION,
                        metadata={"description": "the published version to move them to"})
    dry_run = StrictBoolean(load_default=False, metadata={"description": "only the plan: nothing is written"})


class ChangeOut(Schema):
    attribute = fields.String()
    old = fields.Raw(allow_none=True)
    new = fields.Raw(allow_none=True)


class ElementOut(Schema):
    id = fields.String()
    type = fields.String(metadata={"description": "the BPMN element: userTask, sequenceFlow, exclusiveGateway, ..."})
    name = fields.String(allow_none=True)
    changes = fields.List(fields.Nested(ChangeOut), metadata={"description": "changed elements only"})


class FormsDiffOut(Schema):
    added = fields.List(fields.String())
    removed = fields.List(fields.String())
    changed = fields.List(fields.String())


class VersionDiffOut(Schema):
    key = fields.String()
    from_ = fields.Integer(data_key="from")
    to = fields.Integer()
    added = fields.List(fields.Nested(ElementOut))
    removed = fields.List(fields.Nested(ElementOut))
    changed = fields.List(fields.Nested(ElementOut))
    forms = fields.Nested(FormsDiffOut, metadata={"description": "bundled forms whose content differs"})


class PlanItemOut(Schema):
    case_number = fields.String()
    instance_id = fields.Integer()
    safe = fields.Boolean()
    reason = fields.String(allow_none=True)
    elements = fields.List(fields.String(), metadata={"description": "the elements that make it unsafe"})


class MigrationPlanOut(Schema):
    key = fields.String()
    from_ = fields.Integer(data_key="from")
    to = fields.Integer()
    dry_run = fields.Boolean()
    items = fields.List(fields.Nested(PlanItemOut))
    total = fields.Integer()
    safe = fields.Integer()
    unsafe = fields.Integer()
    from_active = fields.Boolean(metadata={"description": "new cases still start on 'from': activate 'to' first"})


class CaseMigrationOut(Schema):
    case_number = fields.String()
    instance_id = fields.Integer()
    status = fields.String(metadata={"enum": ["pending", "migrated", "unsafe", "failed", "rolled_back", "kept"]})
    reason = fields.String(allow_none=True)
    migrated_at = fields.String(allow_none=True)
    rolled_back_at = fields.String(allow_none=True)


class CaseMigrationListOut(Schema):
    items = fields.List(fields.Nested(CaseMigrationOut))
    total = fields.Integer()


class MigrationCountsOut(Schema):
    total = fields.Integer()
    pending = fields.Integer()
    migrated = fields.Integer()
    unsafe = fields.Integer()
    failed = fields.Integer()
    rolled_back = fields.Integer()
    kept = fields.Integer(metadata={"description": "moved on after the migration, so not rolled back"})


class MigrationBriefOut(Schema):
    id = fields.Integer()
    key = fields.String()
    from_ = fields.Integer(data_key="from")
    to = fields.Integer()
    status = fields.String(metadata={"enum": ["running", "completed", "rolled_back"]})
    created_by = fields.String()
    created_at = fields.String()
    finished_at = fields.String(allow_none=True)
    rolled_back_at = fields.String(allow_none=True)
    rolled_back_by = fields.String(allow_none=True)
    counts = fields.Nested(MigrationCountsOut)


class MigrationOut(MigrationBriefOut):
    cases = fields.Nested(CaseMigrationListOut)


class MigrationListOut(Schema):
    items = fields.List(fields.Nested(MigrationBriefOut))
    total = fields.Integer()
