"""marshmallow fields with the limits every input gets: strict booleans, dates in a sane range.

Shared by the API schemas and the task forms, so a date or a flag means the same everywhere.
"""

from __future__ import annotations

from datetime import UTC, datetime

from marshmallow import ValidationError, fields

from .errors import T

EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)
RANGE_MESSAGE = "Must be between 2000-01-01 and 2100-01-01."


class StrictBoolean(fields.Boolean):
    """JSON true or false, nothing else ("yes", 1 and "true" are refused)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise ValidationError(T('Must be true or false.'))
        return value


class QueryBoolean(fields.Boolean):
    """A flag in a query string: true/false or 1/0."""

    truthy = frozenset({"true", "1"})
    falsy = frozenset({"false", "0"})


class SaneDateTime(fields.AwareDateTime):
    """An ISO-8601 datetime with an offset, between 2000 and 2100, handed on in UTC."""

    def _deserialize(self, value, attr, data, **kwargs):
        moment = super()._deserialize(value, attr, data, **kwargs)
        try:
            moment = moment.astimezone(UTC)
        except (OverflowError, ValueError) as exc:
            raise ValidationError(RANGE_MESSAGE) from exc
        if not EARLIEST <= moment < LATEST:
            raise ValidationError(RANGE_MESSAGE)
        return moment


class SaneDate(fields.Date):
    """An ISO-8601 date between 2000 and 2100."""

    def _deserialize(self, value, attr, data, **kwargs):
        day = super()._deserialize(value, attr, data, **kwargs)
        if not EARLIEST.date() <= day < LATEST.date():
            raise ValidationError(RANGE_MESSAGE)
        return day

