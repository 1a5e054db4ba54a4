"""Declarative forms from `forms/*.yaml` (file name = form id), validated with marshmallow.

A form lists fields with a type, labels in zh and en, `required`, `required_when`
({other_field: value}), choices and limits. The same definition drives validation
(422 with per-field messages) and the `fields` list the API shows.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from marshmallow import RAISE, Schema, ValidationError, fields, validate

from ..errors import FormValidationError, InvalidFormDefinitionError, T
from ..fields import SaneDate, SaneDateTime, StrictBoolean

FIELD_TYPES = ("string", "text", "integer", "number", "boolean", "date", "datetime", "choice", "multichoice", "department", "user")


@dataclass(frozen=True)
class FormField:
    name: str
    type: str
    labels: dict[str, str]
    required: bool = False
    required_when: dict[str, Any] = field(default_factory=dict)
    required_with: str | None = None
    choices: tuple[tuple[Any, dict[str, str]], ...] = ()
    min: float | None = None
    max: float | None = None
    max_length: int | None = None
    personal: bool = False  # masked in the work record for those who may not see the petitioner

    def label(self, locale: str) -> str:
        return self.labels.get(locale) or self.labels.get("zh") or self.labels.get("en") or self.name

    def describe(self, locale: str) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "type": self.type, "label": self.label(locale), "required": self.required}
        if self.required_when:
            out["required_when"] = dict(self.required_when)
        if self.required_with:
            out["required_with"] = self.required_with
        if self.choices:
            out["choices"] = [{"value": v, "label": lab.get(locale) or lab.get("zh") or str(v)} for v, lab in self.choices]
        for key in ("min", "max", "max_length"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        return out


@dataclass(frozen=True)
class Form:
    id: str
    titles: dict[str, str]
    fields: tuple[FormField, ...]

    def describe(self, locale: str = "zh") -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.titles.get(locale) or self.titles.get("zh") or self.id,
            "fields": [f.describe(locale) for f in self.fields],
        }


class FormRegistry:
    """Forms in one folder, re-read when a file changes."""

    def __init__(self, folder: str):
        self.folder = Path(folder)

    def ids(self) -> list[str]:
        return sorted(p.stem for p in self.folder.glob("*.yaml"))

    def get(self, form_id: str) -> Form | None:
        path = self._path(form_id)
        return None if path is None else _load_form(str(path), os.stat(path).st_mtime_ns)

    def source(self, form_id: str) -> str | None:
        """The form file's text, as a version bundle stores it."""
        path = self._path(form_id)
        return None if path is None else path.read_text(encoding="utf-8")

    def _path(self, form_id: str) -> Path | None:
        path = self.folder / f"{form_id}.yaml"
        if not form_id.replace("_", "").replace("-", "").isalnum() or not path.is_file():
            return None
        return path


@lru_cache(maxsize=256)
def _load_form(path: str, _mtime: int) -> Form:
    return form_from_source(Path(path).stem, Path(path).read_text(encoding="utf-8"))


def form_from_source(form_id: str, source: str) -> Form:
    """A form from its YAML text; InvalidFormDefinitionError when the text is not a valid form."""
    try:
        raw = yaml.safe_load(source) or {}
        return _form_from_dict(form_id, raw)
    except (yaml.YAMLError, KeyError, TypeError, ValueError, AttributeError) as exc:
        raise InvalidFormDefinitionError(T('form %(form_id)s: %(exc)s', form_id=form_id, exc=exc)) from exc


def lint_fields(form: Form) -> list[dict[str, Any]]:
    """The field descriptions deploy-time lint builds sample data from."""
    return [{"name": f.name, "type": f.type, "min": f.min, "choices": [v for v, _ in f.choices]} for f in form.fields]


def _form_from_dict(form_id: str, raw: dict) -> Form:
    if raw.get("id", form_id) != form_id:
        raise ValueError(T("id '%(value)s' differs from the file name", value=raw.get('id')))
    out = []
    for item in raw.get("fields", []):
        if item["type"] not in FIELD_TYPES:
            raise ValueError(T('field %(value)s: unknown type %(value2)s', value=item['name'], value2=item['type']))
        choices = tuple((c["value"], _labels(c.get("label", c["value"]))) for c in item.get("choices", []))
        if item["type"] in ("choice", "multichoice") and not choices:
            raise ValueError(T('field %(value)s: a %(value2)s needs choices', value=item['name'], value2=item['type']))
        out.append(
            FormField(
                name=item["name"],
                type=item["type"],
                labels=_labels(item.get("label", item["name"])),
                required=bool(item.get("required", False)),
                required_when=dict(item.get("required_when", {})),
                required_with=item.get("required_with"),
                choices=choices,
                min=item.get("min"),
                max=item.get("max"),
                max_length=item.get("max_length"),
                personal=bool(item.get("personal", False)),
            )
        )
    return Form(form_id, _labels(raw.get("title", form_id)), tuple(out))


def _labels(value: Any) -> dict[str, str]:
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {"zh": str(value), "en": str(value)}


def _marshmallow_field(f: FormField) -> fields.Field:
    # A field left out keeps the value the case's data holds (validate_form checks `required` on the merged data);
    # an explicit null clears an optional field.
    kw: dict[str, Any] = {"required": False, "allow_none": not f.required}
    rng = validate.Range(min=f.min, max=f.max) if f.min is not None or f.max is not None else None
    length = validate.Length(max=f.max_length) if f.max_length else None
    values = [v for v, _ in f.choices]
    if f.type in ("string", "text", "department", "user"):
        default_max = 200 if f.type == "string" else 20000
        return fields.String(validate=length or validate.Length(max=default_max), **kw)
    if f.type == "integer":
        return fields.Integer(strict=True, validate=rng, **kw)
    if f.type == "number":
        return fields.Float(allow_nan=False, validate=rng, **kw)
    if f.type == "boolean":
        return StrictBoolean(**kw)
    if f.type == "date":
        return SaneDate(**kw)
    if f.type == "datetime":
        return SaneDateTime(**kw)
    if f.type == "choice":
        return fields.Raw(validate=validate.OneOf(values), **kw)
    return fields.List(fields.Raw(validate=validate.OneOf(values)), validate=length, **kw)  # multichoice


def fits(f: FormField, value: Any) -> bool:
    """Whether a value the case's data holds is one this field accepts (a script's 0 for "no extension" is not an
    extension of 0 days): only such values are shown in the field, to keep or change."""
    try:
        _marshmallow_field(f).deserialize(value)
    except ValidationError:
        return False
    return True


_schemas: dict[int, tuple[Form, Schema]] = {}


def _schema_for(form: Form) -> Schema:
    found = _schemas.get(id(form))
    if found is None or found[0] is not form:
        schema_cls = Schema.from_dict({f.name: _marshmallow_field(f) for f in form.fields}, name=f"Form_{form.id}")
        found = _schemas[id(form)] = (form, schema_cls(unknown=RAISE))
    return found[1]


Lookup = Callable[[Iterable[str]], set[str]]


def validate_form(form: Form, data: Any, known: dict[str, Lookup], current: dict[str, Any] | None = None) -> dict[str, Any]:
    """Validated, JSON-shaped form data; raises FormValidationError mapping field -> messages.

    A field the data leaves out keeps its value in `current` (what the case's data already holds: an empty
    optional field never erases what an earlier step decided); clearing a value is an explicit null.
    `known` maps 'department' / 'user' to a function returning which of the given values exist.
    """
    if not isinstance(data, dict):
        raise FormValidationError({"_schema": ["form data must be a JSON object"]})
    try:
        given = _schema_for(form).load(data)
    except ValidationError as exc:
        raise FormValidationError(_flatten(exc.messages)) from exc
    current = current or {}
    loaded = {f.name: given[f.name] if f.name in given else current.get(f.name) for f in form.fields}
    errors: dict[str, list[str]] = {}
    for f in form.fields:
        value = loaded.get(f.name)
        if f.required and value in (None, "", []) and f.name not in given:
            errors.setdefault(f.name, []).append("Missing data for required field.")
        if value in (None, "", []) and f.required_when and all(loaded.get(k) == v for k, v in f.required_when.items()):
            errors.setdefault(f.name, []).append("Missing data for required field.")
        if value in (None, "", []) and f.required_with and given.get(f.required_with) not in (None, "", []):
            errors.setdefault(f.name, []).append(f"Required when {f.required_with} is given.")
        if f.required and f.type in ("string", "text") and isinstance(value, str) and not value.strip():
            errors.setdefault(f.name, []).append("Must not be blank.")
        if value and f.type in known and f.type in ("department", "user"):
            if value not in known[f.type]([value]):
                errors.setdefault(f.name, []).append(f"Unknown {f.type} '{value}'.")
    if errors:
        raise FormValidationError(errors)
    # Every field of the form is defined for the process (None when nothing holds a value), so a script or a
    # condition may name an optional field (lint evaluates with every field present too).
    return {f.name: _jsonable(loaded.get(f.name)) for f in form.fields}


def _jsonable(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def _flatten(messages: Any) -> dict[str, list[str]]:
    if isinstance(messages, dict):
        return {str(k): v if isinstance(v, list) and all(isinstance(i, str) for i in v) else [str(v)] for k, v in messages.items()}
    return {"_schema": [str(messages)]}
