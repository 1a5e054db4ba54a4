"""Rate limits of what anyone may call without logging in: looking a case up and rating it.

Two limits, shared by every public lookup (the API's and the /track page's): per client address,
against one client trying many codes; and per case number, against many clients (a botnet)
trying codes for one case. Together with 40-bit access codes this is what makes guessing futile,
and what lets access codes use a cheap argon2 setting (app/cases/intake/access_codes.py).

The client address is request.remote_addr: behind a reverse proxy, wrap the app in werkzeug's
ProxyFix so that it is the client's, not the proxy's.
"""

from __future__ import annotations

import time

from flask import current_app, jsonify, request
from flask_limiter import RateLimitExceeded
from flask_limiter.util import get_remote_address

from app.extensions import limiter

from .access import public

MESSAGE = "too many lookups; try again later"


def _per_address() -> str:
    return current_app.config["MINYI_RATELIMIT_PER_ADDRESS"]


def _per_case() -> str:
    return current_app.config["MINYI_RATELIMIT_PER_CASE"]


def _case_number() -> str:
    number = (request.view_args or {}).get("number") or request.values.get("number", "")
    return "case:" + str(number).strip()[:32]


def _no_lookup() -> bool:
    """The /track page without a number only shows the empty form: nothing to count."""
    return not ((request.view_args or {}).get("number") or request.values.get("number", "").strip())


_by_address = limiter.shared_limit(_per_address, scope="public-address", key_func=get_remote_address,
                                   exempt_when=_no_lookup)
_by_case = limiter.shared_limit(_per_case, scope="public-case", key_func=_case_number, exempt_when=_no_lookup)


def public_lookup(view):
    """Decorate a view that looks a case up by number and access code (a GET query or a POSTed form)."""
    return public(_by_address(_by_case(view)))


def too_many_requests(exc: RateLimitExceeded):
    """429 with Retry-After: the API's error shape under /api/, a plain message elsewhere."""
    current = limiter.current_limit
    retry_after = max(1, int(current.reset_at - time.time())) if current else 60
    if request.path == "/login":
        from .staff.auth import login_refused

        body, status = login_refused(retry_after)
        response = current_app.make_response((body, status))
    elif request.path.startswith("/api/"):
        response = jsonify({"error": {"code": "rate_limited", "message": MESSAGE, "details": {}}})
    else:
        response = current_app.response_class(
            "查询过于频繁，请稍后再试。 Too many lookups; try again later.\n", mimetype="text/plain")
    response.status_code = 429
    response.headers["Retry-After"] = str(retry_after)
    return response
