"""Turning a posted HTML form into the JSON-shaped data a task form validates (the API's shape), and values back
into what the form's inputs show.

Only the shape changes here: text stays text when it is not a number, so the service's
validation (the same as the API's) reports it beside the field. The page shows every field with the value the
case's data holds, so what it posts is the whole truth: an emptied field is a value cleared on purpose (null).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from werkzeug.datastructures import MultiDict


def form_data(fields: list[dict[str, Any]], posted: MultiDict, zone: ZoneInfo) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for f in fields:
        name, kind = f["name"], f["type"]
        if kind == "boolean":
            data[name] = posted.get(name) == "true"
        elif kind == "multichoice":
            data[name] = [_choice(f, p) for p in posted.getlist(name)]
        else:
            raw = posted.get(name, "")
            if kind not in ("string", "text"):
                raw = raw.strip()
            data[name] = None if raw == "" else _convert(f, kind, raw, zone)
    return data


def _convert(f: dict[str, Any], kind: str, raw: str, zone: ZoneInfo) -> Any:
    if kind == "integer":
        return int(raw) if raw.lstrip("-").isdigit() and len(raw) < 20 else raw
    if kind == "number":
        try:
            return float(raw) if len(raw) < 40 else raw
        except ValueError:
            return raw
    if kind == "datetime":
        return _local_datetime(raw, zone)
    if kind == "choice":
        return _choice(f, raw)
    return raw


def _choice(f: dict[str, Any], raw: str) -> Any:
    """The choice's own value (a YAML choice may be a number); unknown text is left for validation to refuse."""
    for choice in f.get("choices", []):
        if str(choice["value"]) == raw:
            return choice["value"]
    return raw


def _local_datetime(raw: str, zone: ZoneInfo) -> str:
    """<input type=datetime-local> sends no offset: the time is the organisation's local time."""
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        return raw
    return (moment if moment.tzinfo else moment.replace(tzinfo=zone)).isoformat()


def form_values(fields: list[dict[str, Any]], posted: MultiDict) -> dict[str, Any]:
    """What the user typed, to show again beside the errors."""
    return {f["name"]: (posted.getlist(f["name"]) if f["type"] == "multichoice" else posted.get(f["name"], ""))
            for f in fields}


def posted_fields(posted: MultiDict) -> dict[str, Any]:
    """The posted fields as JSON, for a draft: one value as text, several as a list (the CSRF token left out)."""
    return {name: values[0] if len(values) == 1 else values
            for name, values in posted.lists() if name != "csrf_token"}


def shown_values(fields: list[dict[str, Any]], values: dict[str, Any], zone: ZoneInfo) -> dict[str, Any]:
    """Values the case's data holds (JSON: booleans, numbers, ISO moments) as the form's inputs show them."""
    shown = draft_values(fields, values)
    for f in fields:
        if f["type"] == "datetime" and shown.get(f["name"]):
            try:
                moment = datetime.fromisoformat(shown[f["name"]])
            except ValueError:
                continue
            if moment.tzinfo:
                moment = moment.astimezone(zone)
            shown[f["name"]] = moment.strftime("%Y-%m-%dT%H:%M")
    return shown


def draft_values(fields: list[dict[str, Any]], draft: dict[str, Any]) -> dict[str, Any]:
    """A draft (from the page or the API) as the form shows values: text, or a list of text for multichoice."""
    values: dict[str, Any] = {}
    for f in fields:
        value = draft.get(f["name"])
        if value is None:
            continue
        listed = value if isinstance(value, list) else [value]
        if f["type"] == "multichoice":
            values[f["name"]] = [_text(v) for v in listed]
        else:
            values[f["name"]] = _text(listed[0]) if listed else ""
    return values


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else ""
    return value if isinstance(value, str) else str(value)
