"""marshmallow schemas of what the process and catalogue routes answer: versions, a deployment, a dry run's lint and
a category's binding (the OpenAPI document describes those responses with them)."""

from __future__ import annotations

from marshmallow import Schema, fields

from app.models import CATEGORIES


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
    warnings = fields.List(fields.Dict(), metadata={
        "description": "lint's warnings [{element, message}]: ways a case could go unseen; they refuse nothing"})


class CatalogueEntryOut(Schema):
    category = fields.String(metadata={"enum": list(CATEGORIES)})
    process = fields.String(allow_none=True, metadata={"description": "process key; null when unbound"})


class LintedOut(Schema):
    key = fields.String()
    version = fields.Integer(allow_none=True)
    dry_run = fields.Boolean()
    problems = fields.List(fields.Dict())
    warnings = fields.List(fields.Dict(), metadata={"description": "lint's warnings [{element, message}]"})
