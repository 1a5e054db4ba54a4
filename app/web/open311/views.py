"""The GeoReport v2 endpoints."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import wraps

from flask import g, request, url_for
from flask_babel import force_locale

from app.cases import policy
from app.cases.errors import ForbiddenError, MinyiError
from app.cases.intake.appeal import parse_appeal
from app.cases.intake.registration import register_case
from app.cases.lists.public_requests import open311_request, open311_requests
from app.cases.people.tokens import user_for_token
from app.channels import open311

from ..access import mark, public
from ..appeal_form import field_errors
from ..locale import translated
from . import bp
from .formats import answer

FORMATS = ("json", "xml")
# the appeal's fields by the names a GeoReport client sent them under
OPEN311_NAMES = {"location.lat": "lat", "location.lon": "long", "location.address": "address_string",
                 "petitioner.email": "email", "petitioner.phone": "phone", "petitioner.name": "first_name/last_name",
                 "title": "description"}


class Open311Error(Exception):
    def __init__(self, status: int, description: str):
        super().__init__(description)
        self.status, self.description = status, description


@bp.errorhandler(Open311Error)
def _error(exc: Open311Error):
    return answer([{"code": exc.status, "description": exc.description}], _format(), "errors", exc.status)


@bp.errorhandler(404)
def _not_found(exc):
    return answer([{"code": 404, "description": "not found"}], _format(), "errors", 404)


@bp.errorhandler(405)
def _not_allowed(exc):
    return answer([{"code": 405, "description": "method not allowed"}], _format(), "errors", 405)


def _format() -> str:
    fmt = (request.view_args or {}).get("fmt") or request.path.rsplit(".", 1)[-1]
    return fmt if fmt in FORMATS else "json"


def _checked(fmt: str) -> None:
    if fmt not in FORMATS:
        raise Open311Error(404, f"format '{fmt}' is not served: use .json or .xml")
    jurisdiction = request.values.get("jurisdiction_id")
    expected = _config("MINYI_OPEN311_JURISDICTION")
    if jurisdiction and expected and jurisdiction != expected:
        raise Open311Error(404, f"jurisdiction_id '{jurisdiction}' is not served here")


def _config(name: str) -> str:
    from flask import current_app

    return current_app.config.get(name, "")


def _locale() -> str:
    return "en" if (request.accept_languages.best_match(["zh", "en"]) or "zh") == "en" else "zh"


def with_api_key(action: str):
    """The view needs `api_key`: an API token of a user the policy lets do `action`."""

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            key = (request.form.get("api_key") or "").strip()  # in the body: a key in the URL ends up in logs
            user = user_for_token(key) if key else None
            if user is None:
                raise Open311Error(403, "api_key was not provided or is not valid")
            try:
                policy.require(user, action)
            except ForbiddenError as exc:
                raise Open311Error(403, "this api_key may not post service requests") from exc
            g.open311_user = user
            return view(*args, **kwargs)

        return mark(wrapper, action)

    return decorate


@bp.get("/discovery.<fmt>")
@public
def discovery(fmt: str):
    _checked(fmt)
    base = url_for("open311.discovery", fmt="json", _external=True).rsplit("/", 1)[0]
    return answer({"changeset": "2026-12-07T00:00:00Z", "contact": "", "key_service": "",
                   "endpoints": [{"specification": open311.SPECIFICATION, "url": base, "changeset": "2026-12-07T00:00:00Z",
                                  "type": "production", "formats": ["text/xml", "application/json"]}]}, fmt, "discovery")


@bp.get("/services.<fmt>")
@public
def services(fmt: str):
    _checked(fmt)
    with force_locale(_locale()):
        return answer(open311.services(), fmt, "services")


@bp.get("/services/<code>.<fmt>")
@public
def service_definition(code: str, fmt: str):
    _checked(fmt)
    definition = open311.service_definition(code)
    if definition is None:
        raise Open311Error(404, f"service_code '{code}' is not a service here")
    return answer(definition, fmt, "service_definition")


@bp.post("/requests.<fmt>")
@with_api_key("open311.submit")
def post_request(fmt: str):
    _checked(fmt)
    form = {k: v for k, v in request.form.items() if not k.startswith("attribute[")}
    attributes = {k[len("attribute["):-1]: v for k, v in request.form.items() if k.startswith("attribute[") and k.endswith("]")}
    try:
        intake = register_case(parse_appeal(open311.appeal_payload(form, attributes)), g.open311_user.username)
    except open311.RequestRefused as exc:
        raise Open311Error(400, str(exc)) from exc
    except MinyiError as exc:
        with force_locale(_locale()):
            problems = "; ".join(f"{OPEN311_NAMES.get(field, field)}: {translated(messages)}"
                                 for field, messages in field_errors(exc.details or {}).items())
            raise Open311Error(400, f"{translated(exc.message)}{': ' + problems if problems else ''}") from exc
    notice = f"access code {intake.access_code} (with the number, the petitioner follows and rates the request on /track)"
    return answer([{"service_request_id": intake.number, "token": intake.number, "service_notice": notice,
                    "account_id": None}], fmt, "service_requests", 201)


@bp.get("/requests.<fmt>")
@public
def get_requests(fmt: str):
    _checked(fmt)
    numbers = [n.strip() for n in request.args.get("service_request_id", "").split(",") if n.strip()]
    codes = [c.strip() for c in request.args.get("service_code", "").split(",") if c.strip()]
    status = request.args.get("status") or None
    if status not in (None, "open", "closed"):
        raise Open311Error(400, "status is open or closed")
    start, end = _moment("start_date"), _moment("end_date")
    if start and end and (end - start).days > 90:
        raise Open311Error(400, "start_date and end_date may not span more than 90 days")
    found = open311_requests(numbers, codes, start, end, status)
    names = _service_names()
    return answer([open311.request_of(c, names) for c in found], fmt, "service_requests")


@bp.get("/requests/<number>.<fmt>")
@public
def get_request(number: str, fmt: str):
    _checked(fmt)
    case = open311_request(number)
    if case is None:
        raise Open311Error(404, f"no service request {number}")
    return answer([open311.request_of(case, _service_names())], fmt, "service_requests")


@bp.get("/tokens/<token>.<fmt>")
@public
def token(token: str, fmt: str):
    _checked(fmt)
    case = open311_request(token)
    if case is None:
        raise Open311Error(404, f"no token {token}")
    return answer([{"service_request_id": case.number, "token": token}], fmt, "service_requests")


def _service_names() -> dict[str, str]:
    with force_locale(_locale()):
        return {s["service_code"]: s["service_name"] for s in open311.services()}


def _moment(name: str) -> datetime | None:
    raw = request.args.get(name)
    if not raw:
        return None
    try:
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
        if moment.tzinfo is None:
            raise Open311Error(400, f"{name} needs a time zone (e.g. 2026-12-01T00:00:00Z)")
        moment = moment.astimezone(UTC)
    except (ValueError, OverflowError) as exc:
        raise Open311Error(400, f"{name} is not a W3C datetime (e.g. 2026-12-01T00:00:00Z)") from exc
    if not 1900 <= moment.year <= 9000:
        raise Open311Error(400, f"{name} is out of range")
    return moment
