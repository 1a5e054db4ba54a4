"""Open311 GeoReport v2 (the frozen public standard for city apps): the services Minyi offers, what a posted
service request means as an appeal, and a case as a service request. Only cases that came in through Open311 are
listed to it: a hotline caller's or a letter writer's case is nobody else's business."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from app.cases import reference
from app.models import CATEGORIES, FINAL_STATUSES

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
NOT_OPEN311 = ("incident",)  # identified by staff, not reported by the public
DESCRIPTION_MAX = 4000  # the standard's limit on a request's description
TITLE_MAX = 30
# Attributes (the standard's "metadata") beyond the common fields, per service
ATTRIBUTES: dict[str, list[dict[str, Any]]] = {
    "dispute": [{"variable": True, "code": "other_party", "datatype": "string", "required": False, "order": 1,
                 "datatype_description": None, "description": "the other side of the dispute (name)"}],
}


def _names() -> dict[str, tuple[str, str]]:
    """(service name, description) per category, in the language of the request (zh unless asked otherwise)."""
    return {
        "consultation": (_("Consultation"), _("Questions about policies, procedures and services")),
        "complaint": (_("Complaint"), _("Something went wrong and someone is responsible")),
        "suggestion": (_("Suggestion"), _("An idea to make the city work better")),
        "help": (_("Request for help"), _("You or someone near you needs help")),
        "dispute": (_("Dispute"), _("A dispute between neighbours or parties, for mediation")),
        "other": (_("Other"), _("Anything else")),
    }


def services() -> list[dict[str, Any]]:
    bound = reference.catalogue_bindings()
    names = _names()
    return [{"service_code": c, "service_name": names[c][0], "description": names[c][1], "metadata": c in ATTRIBUTES,
             "type": "realtime", "keywords": "", "group": ""}
            for c in CATEGORIES if c in bound and c not in NOT_OPEN311]


def service_definition(code: str) -> dict[str, Any] | None:
    if code not in {s["service_code"] for s in services()}:
        return None
    return {"service_code": code, "attributes": [dict(a, values=[]) for a in ATTRIBUTES.get(code, [])]}


class RequestRefused(Exception):
    """A posted request the standard's error array describes (400)."""


def appeal_payload(form: dict[str, str], attributes: dict[str, str]) -> dict[str, Any]:
    """The typed appeal's fields from a POSTed service request (form fields as the standard names them)."""
    code = form.get("service_code", "")
    if service_definition(code) is None:
        raise RequestRefused(f"service_code '{code}' is not a service here (GET services for the list)")
    description = (form.get("description") or "").strip()
    if not description:
        raise RequestRefused("description is required")
    if len(description) > DESCRIPTION_MAX:
        raise RequestRefused(f"description is longer than {DESCRIPTION_MAX} characters")
    lat, lon, address = form.get("lat"), form.get("long"), (form.get("address_string") or form.get("address_id") or "").strip()
    if not ((lat and lon) or address):
        raise RequestRefused("a location is required: lat and long, or address_string")
    name = " ".join(x for x in ((form.get("last_name") or "").strip(), (form.get("first_name") or "").strip()) if x)
    petitioner = {k: v for k, v in {"name": name or None, "phone": (form.get("phone") or "").strip() or None,
                                    "email": (form.get("email") or "").strip() or None}.items() if v}
    if not name:
        petitioner["anonymous"] = True
    first_line = description.splitlines()[0].strip()
    payload: dict[str, Any] = {
        "category": code, "channel": "open311", "description": description, "petitioner": petitioner,
        "title": first_line[:TITLE_MAX] + ("…" if len(first_line) > TITLE_MAX else ""),
        "location": {k: v for k, v in {"address": address or None, "lat": lat or None, "lon": lon or None}.items() if v},
    }
    if code == "dispute" and attributes.get("other_party"):
        payload["parties"] = [{"name": attributes["other_party"][:200], "role": "other party"}]
    return payload


def request_of(case, service_names: dict[str, str]) -> dict[str, Any]:
    """A case as the standard's service request (no personal data: what a public app shows)."""
    final = case.status in FINAL_STATUSES
    stamp = lambda moment: moment.isoformat() if moment else None  # noqa: E731
    department = case.department
    return {
        "service_request_id": case.number, "status": "closed" if final else "open",
        "status_notes": case.answer if case.status in ("answered", *FINAL_STATUSES) else None,
        "service_name": service_names.get(case.category, case.category), "service_code": case.category,
        "description": case.description, "agency_responsible": department.name if department else None,
        "service_notice": None, "requested_datetime": stamp(case.received_at), "updated_datetime": stamp(case.updated_at),
        "expected_datetime": stamp(case.answer_by or case.due_at), "address": case.location_address,
        "address_id": None, "zipcode": None, "lat": case.location_lat, "long": case.location_lon, "media_url": None,
    }
