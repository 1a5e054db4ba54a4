"""The lane map's and the default group's bodies and answers (app/cases/procedures/lanes.py)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from .schemas import StrictSchema

GROUP_HELP = "role (anywhere), role@* (at the case's department) or role@CODE (at a department)"


class LaneMapIn(StrictSchema):
    group = fields.String(required=True, validate=validate.Length(1, 100), metadata={"description": GROUP_HELP})


class DefaultGroupIn(StrictSchema):
    default_group = fields.String(required=True, allow_none=True, validate=validate.Length(0, 100),
                                  metadata={"description": GROUP_HELP + "; null or empty: the intake group"})


class LaneOut(Schema):
    lane = fields.String(metadata={"description": "a lane's or candidate group's name as diagrams write it"})
    group = fields.String(metadata={"description": GROUP_HELP})
    used_by = fields.List(fields.String(), metadata={"description": "active processes whose diagrams name it"})


class LaneListOut(Schema):
    items = fields.List(fields.Nested(LaneOut))
    total = fields.Integer()


class DefaultGroupOut(Schema):
    process = fields.String()
    default_group = fields.String(metadata={"description": "the group doing the tasks the diagram gives to nobody"})
    set = fields.Boolean(metadata={"description": "false: the intake group, as no one set another"})
