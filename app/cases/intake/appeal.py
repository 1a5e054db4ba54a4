"""The typed appeal: what every door (the API, the staff intake page, and the public channels to come) builds
from its input and hands to registration. Validation lives here, once: a channel maps its own input onto the
appeal's fields and calls `parse_appeal`, which refuses bad input with a message per field.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, post_load, validate, validates_schema

from app.models import CATEGORIES, CHANNELS, NOTIFY_BY

from .. import errors
from ..errors import T
from ..fields import SaneDateTime, StrictBoolean
from ..people.identity import normalised_id_number, valid_id_number

LANGUAGES = ("zh", "en")
PHONE = validate.Regexp(r"^[0-9+\-() ]{3,30}$", error="Not a valid phone number.")


@dataclass(frozen=True)
class PetitionerData:
    name: str | None = None
    phone: str | None = None
    email: str | None = None
    address: str | None = None
    anonymous: bool = False
    notify_by: str = "none"  # how messages reach them: email, sms or none (see PetitionerSchema)
    language: str = "zh"  # the language of their messages
    id_number: str | None = None  # resident ID number (居民身份证号), checked; it identifies them across cases


@dataclass(frozen=True)
class Party:
    """A party of a dispute (纠纷调解): each side, with their role."""

    name: str
    role: str
    phone: str | None = None


@dataclass(frozen=True)
class Location:
    address: str | None = None
    lat: float | None = None
    lon: float | None = None


@dataclass(frozen=True)
class Appeal:
    """A validated appeal, ready to register."""

    category: str
    channel: str
    title: str
    description: str
    petitioner: PetitionerData
    location: Location | None = None
    received_at: datetime | None = None  # a letter logged days later; None: now
    parties: tuple[Party, ...] = ()
    department: str | None = None  # routed at intake already (a department code)
    topic: str | None = None  # what it is about: a topic's code (事项分类)
    area: str | None = None  # where: an area's code (属地)
    confidential: bool = False  # e.g. an accusation against staff (检举控告): only cleared staff see the case


class _Strict(Schema):
    class Meta:
        unknown = RAISE


class PetitionerSchema(_Strict):
    name = fields.String(validate=validate.Length(max=200), load_default=None)
    phone = fields.String(validate=PHONE, load_default=None)
    email = fields.Email(validate=validate.Length(max=200), load_default=None)
    address = fields.String(validate=validate.Length(max=500), load_default=None)
    anonymous = StrictBoolean(load_default=False)
    id_number = fields.String(validate=validate.Length(max=30), load_default=None)
    # how messages reach them; left out: e-mail when they gave an address, else SMS when they gave a phone
    notify_by = fields.String(validate=validate.OneOf(NOTIFY_BY), load_default=None)
    language = fields.String(validate=validate.OneOf(LANGUAGES), load_default="zh")

    @validates_schema
    def _name_unless_anonymous(self, data, **kwargs):
        if not data.get("anonymous") and not (data.get("name") or "").strip():
            raise ValidationError(T('Missing data for required field.'), "name")

    @validates_schema
    def _id_number_checks(self, data, **kwargs):
        raw = data.get("id_number")
        if raw and raw.strip() and not valid_id_number(raw):
            raise ValidationError(T('Not a valid resident ID number (18 characters, the last one its check digit).'),
                                  "id_number")

    @validates_schema
    def _contact_for_messages(self, data, **kwargs):
        wanted = data.get("notify_by")
        if wanted == "email" and not data.get("email"):
            raise ValidationError(T('Messages by e-mail need an e-mail address.'), "email")
        if wanted == "sms" and not data.get("phone"):
            raise ValidationError(T('Messages by SMS need a phone number.'), "phone")

    @post_load
    def _make(self, data, **kwargs) -> PetitionerData:
        data["id_number"] = normalised_id_number(data.get("id_number"))
        if data.get("notify_by") is None:
            data["notify_by"] = "email" if data.get("email") else "sms" if data.get("phone") else "none"
        if data.get("anonymous"):
            data["notify_by"] = "none"
        return PetitionerData(**data)


class LocationSchema(_Strict):
    address = fields.String(validate=validate.Length(max=500), load_default=None)
    lat = fields.Float(validate=validate.Range(-90, 90), allow_nan=False, load_default=None)
    lon = fields.Float(validate=validate.Range(-180, 180), allow_nan=False, load_default=None)

    @post_load
    def _make(self, data, **kwargs) -> Location:
        return Location(**data)


class PartySchema(_Strict):
    name = fields.String(required=True, validate=validate.Length(1, 200))
    role = fields.String(required=True, validate=validate.Length(1, 100))
    phone = fields.String(validate=PHONE, load_default=None)

    @post_load
    def _make(self, data, **kwargs) -> Party:
        return Party(**data)


class AppealSchema(_Strict):
    """An appeal as a JSON object (the body of POST /api/v1/cases)."""

    category = fields.String(required=True, validate=validate.OneOf(CATEGORIES))
    channel = fields.String(required=True, validate=validate.OneOf(CHANNELS))
    title = fields.String(required=True, validate=validate.Length(1, 200))
    description = fields.String(required=True, validate=validate.Length(1, 20000))
    petitioner = fields.Nested(PetitionerSchema, required=True)
    location = fields.Nested(LocationSchema, load_default=None)
    received_at = SaneDateTime(load_default=None)
    parties = fields.List(fields.Nested(PartySchema), validate=validate.Length(max=50), load_default=None)
    department = fields.String(validate=validate.Length(1, 32), load_default=None)
    topic = fields.String(validate=validate.Length(1, 32), load_default=None)
    area = fields.String(validate=validate.Length(1, 32), load_default=None)
    confidential = StrictBoolean(load_default=False)

    @validates_schema
    def _text_not_blank(self, data, **kwargs):
        for name in ("title", "description"):
            if name in data and not data[name].strip():
                raise ValidationError(T('Must not be blank.'), name)

    @post_load
    def _make(self, data, **kwargs) -> Appeal:
        return Appeal(**{**data, "parties": tuple(data.get("parties") or ())})


_SCHEMA = AppealSchema()  # reusable; building one per call costs more than the load


def parse_appeal(data: Any) -> Appeal:
    """The appeal in `data` (a JSON-shaped dict), or ValidationFailedError with marshmallow's messages per field
    (nested as the input is: {"petitioner": {"name": [...]}})."""
    if not isinstance(data, dict):
        raise errors.ValidationFailedError(T('an appeal is a JSON object'), {"_schema": [T('Invalid input type.')]})
    try:
        return _SCHEMA.load(data)
    except ValidationError as exc:
        messages = exc.messages if isinstance(exc.messages, dict) else {"_schema": exc.messages}
        raise errors.ValidationFailedError(T('the request data is not valid'), messages) from exc
