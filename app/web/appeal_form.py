"""What the appeal pages (staff intake, an e-mail registered from the incoming queue, the public form) share: the
appeal from the staff form's flat fields, and the service's validation messages, nested as the appeal is
({'petitioner': {'name': [...]}}), flattened to one list per page field ('petitioner.name')."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app

STAFF_CHANNELS = ("hotline", "letter", "visit", "email", "web", "social")  # first in the staff pages' channel list


def field_errors(messages, prefix: str = "") -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key, value in (messages.items() if isinstance(messages, dict) else [("_schema", messages)]):
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(field_errors(value, name + "."))
        else:
            out[name] = list(value) if isinstance(value, list) else [value]  # Text objects stay: the page translates them
    return out


def staff_appeal(v: dict) -> dict:
    """The appeal's fields (as the API takes them) from the page's flat fields; empty optional fields are left out."""
    petitioner = {"name": v.get("petitioner_name") or None, "phone": v.get("petitioner_phone") or None,
                  "email": v.get("petitioner_email") or None, "address": v.get("petitioner_address") or None,
                  "anonymous": v.get("anonymous") == "true", "notify_by": v.get("notify_by") or None,
                  "id_number": v.get("petitioner_id_number") or None}
    payload = {"category": v.get("category", ""), "channel": v.get("channel", ""), "title": v.get("title", ""),
               "description": v.get("description", ""), "petitioner": {k: x for k, x in petitioner.items() if x is not None}}
    if v.get("location"):
        payload["location"] = {"address": v["location"]}
    if v.get("confidential") == "true":
        payload["confidential"] = True
    for kind in ("topic", "area"):
        if v.get(kind):
            payload[kind] = v[kind]
    if v.get("received_at"):
        payload["received_at"] = local_moment(v["received_at"])
    return payload


def local_moment(raw: str) -> str:
    """<input type=datetime-local> has no offset: the organisation's local time."""
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        return raw
    return (moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo(current_app.config["MINYI_TIMEZONE"]))).isoformat()
