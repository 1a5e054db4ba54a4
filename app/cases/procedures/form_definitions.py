"""Forms edited in the workbench: checked strictly before they are saved, layered over forms/.

A saved form does not touch running cases: each version bundles the forms it was deployed with
(bundles.py). The edited copy is what the next deploy of a process that uses it bundles.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema
from sqlalchemy import select

from app.extensions import db
from app.models import FormDefinition

from ..errors import ConflictError, InvalidFormDefinitionError, NotFoundError, T, ValidationFailedError
from ..fields import StrictBoolean
from .forms import FIELD_TYPES, Form, FormRegistry, form_from_source
from .saving import saving_copy

FORM_ID = re.compile(r"^[a-z][a-z0-9_]{0,99}$")
FIELD_NAME = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
MAX_SOURCE = 100_000
MAX_FIELDS = 100


class _Labels(fields.Field):
    """A label: one string for both languages, or {zh, en}."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str) and value.strip():
            return value
        if isinstance(value, dict) and value and set(value) <= {"zh", "en"} and all(
            isinstance(v, str) and v.strip() for v in value.values()
        ):
            return value
        raise ValidationError(T('Give a text, or {zh: 中文, en: English} with non-empty texts.'))


class _Choice(Schema):
    class Meta:
        unknown = RAISE

    value = fields.Raw(required=True, validate=lambda v: isinstance(v, str | int) and not isinstance(v, bool))
    label = _Labels()


class _Field(Schema):
    class Meta:
        unknown = RAISE

    name = fields.String(required=True, validate=validate.Regexp(
        FIELD_NAME, error="Use lower-case letters, digits and _ (starting with a letter), as scripts name it."))
    type = fields.String(required=True, validate=validate.OneOf(FIELD_TYPES))
    label = _Labels(required=True)
    required = StrictBoolean()
    required_when = fields.Dict(keys=fields.String())
    required_with = fields.String()
    choices = fields.List(fields.Nested(_Choice), validate=validate.Length(max=200))
    min = fields.Float(allow_nan=False)
    max = fields.Float(allow_nan=False)
    max_length = fields.Integer(strict=True, validate=validate.Range(min=1, max=100_000))
    personal = StrictBoolean(metadata={"description": "personal data: masked in the work record for those who may "
                                                      "not see the petitioner"})

    @validates_schema
    def _consistent(self, data, **kwargs):
        if data.get("type") in ("choice", "multichoice") and not data.get("choices"):
            raise ValidationError(T('a %(value)s field needs choices', value=data['type']), "choices")
        if data.get("choices") and data.get("type") not in ("choice", "multichoice"):
            raise ValidationError(T('only choice and multichoice fields have choices'), "choices")
        if data.get("min") is not None and data.get("max") is not None and data["min"] > data["max"]:
            raise ValidationError(T('min is greater than max'), "min")


class _FormSchema(Schema):
    class Meta:
        unknown = RAISE

    id = fields.String(required=True)
    title = _Labels(required=True)
    fields_ = fields.List(fields.Nested(_Field), data_key="fields", required=True,
                          validate=validate.Length(min=1, max=MAX_FIELDS))

    @validates_schema
    def _references(self, data, **kwargs):
        names = [f["name"] for f in data.get("fields_", [])]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise ValidationError(T('field names appear twice: %(value)s', value=', '.join(twice)), "fields")
        for f in data.get("fields_", []):
            for other in [*f.get("required_when", {}), *([f["required_with"]] if "required_with" in f else [])]:
                if other not in names:
                    raise ValidationError(
                        T("field %(value)s refers to '%(other)s', which is not a field of this form", value=f['name'], other=other),
                                          "fields")


_SCHEMA = _FormSchema()


def check_form_source(form_id: str, source: str) -> Form:
    """The form a YAML text defines; ValidationFailedError listing every problem (path -> messages)."""
    if not FORM_ID.match(form_id or ""):
        raise ValidationFailedError(T('invalid form id'), {"id": [
            T('Use lower-case letters, digits and _ (starting with a letter), at most 100 characters.')]})
    if len(source) > MAX_SOURCE:
        raise ValidationFailedError(T('the form is too long'), {"source": [T('At most %(MAX_SOURCE)s characters.', MAX_SOURCE=MAX_SOURCE)]})
    try:
        raw = yaml.safe_load(source)
    except yaml.YAMLError as exc:
        mark, problem = getattr(exc, "problem_mark", None), str(getattr(exc, "problem", None) or exc)
        where = (T("Line %(line)s, column %(column)s: %(problem)s", line=mark.line + 1, column=mark.column + 1,
                   problem=problem) if mark is not None else problem)
        raise ValidationFailedError(T('the form is not valid YAML'), {"source": [where]}) from exc
    if not isinstance(raw, dict):
        raise ValidationFailedError(T('the form is not valid'), {"source": [T('Write a mapping with id, title and fields.')]})
    try:
        _SCHEMA.load(raw)
    except ValidationError as exc:
        raise ValidationFailedError(T('the form is not valid'), _paths(exc.messages)) from exc
    if raw["id"] != form_id:
        raise ValidationFailedError(
            T('the form is not valid'), {"id": [T("The id must be '%(form_id)s', the form's name.", form_id=form_id)]})
    try:
        return form_from_source(form_id, source)
    except InvalidFormDefinitionError as exc:  # the runtime reader must accept what we store
        raise ValidationFailedError(T('the form is not valid'), {"source": [exc.message]}) from exc


def _paths(messages: Any, prefix: str = "") -> dict[str, list[str]]:
    """marshmallow's nested messages as 'fields.2.type' -> [messages], the way a person reads them."""
    out: dict[str, list[str]] = {}
    if isinstance(messages, dict):
        for key, value in messages.items():
            name = "fields" if key == "fields_" else str(key)
            out.update(_paths(value, f"{prefix}.{name}" if prefix else name))
    elif isinstance(messages, list) and all(isinstance(m, str) for m in messages):
        out[prefix or "source"] = list(messages)
    else:
        out[prefix or "source"] = [str(messages)]
    return out


def save_form(form_id: str, source: str, actor: str, lock_version: int | None) -> FormDefinition:
    """Store an edited form after checking it; `lock_version` is the copy the editor read (None: a new edit)."""
    check_form_source(form_id, source)
    row = db.session.get(FormDefinition, form_id)
    with saving_copy("form"):
        if row is None:
            if lock_version not in (None, 0):
                raise ConflictError(T('this form was deleted meanwhile; reload it'))
            row = FormDefinition(form_id=form_id, source=source, updated_by=actor)
            db.session.add(row)
        else:
            if lock_version is None or lock_version != row.lock_version:
                raise ConflictError(
                    T('%(updated_by)s saved this form meanwhile; reload it and apply your change again', updated_by=row.updated_by))
            row.source, row.updated_by = source, actor
    return row


def edited_form(form_id: str) -> FormDefinition | None:
    return db.session.get(FormDefinition, form_id)


def form_source(registry: FormRegistry, form_id: str) -> tuple[str, int | None]:
    """The text the editor opens (edited copy, else forms/) and the lock version it must send back."""
    row = edited_form(form_id)
    if row is not None:
        return row.source, row.lock_version
    source = registry.source(form_id)
    if source is None:
        raise NotFoundError(T("no form '%(form_id)s'", form_id=form_id))
    return source, None


class WorkbenchForms(FormRegistry):
    """forms/ with the workbench's edited copies over it: what a deploy bundles."""

    def ids(self) -> list[str]:
        edited = db.session.scalars(select(FormDefinition.form_id)).all()
        return sorted({*super().ids(), *edited})

    def get(self, form_id: str) -> Form | None:
        source = self._edited(form_id)
        return form_from_source(form_id, source) if source is not None else super().get(form_id)

    def source(self, form_id: str) -> str | None:
        edited = self._edited(form_id)
        return edited if edited is not None else super().source(form_id)

    def edited_ids(self) -> set[str]:
        return set(db.session.scalars(select(FormDefinition.form_id)))

    @staticmethod
    def _edited(form_id: str) -> str | None:
        if not FORM_ID.match(form_id or ""):
            return None
        return db.session.scalar(select(FormDefinition.source).where(FormDefinition.form_id == form_id))


__all__ = ["WorkbenchForms", "check_form_source", "edited_form", "form_source", "save_form"]
