"""The public doors' guards: looking a case up by number and access code (the API and /track), and rating,
withdrawing or asking for review with them.

Wrong codes are counted in the database (app/cases/people/attempts.py: per case number and per address, shared by
every worker and host); a client that proved a case's code before keeps its door open (known_clients.py). On top,
Flask-Limiter throttles requests per address (MINYI_RATELIMIT_PER_ADDRESS, storage MINYI_RATELIMIT_STORAGE).

The case number is read from where the views read it — the URL, or the POSTed form — never the query string, so a
second `number` in the URL cannot move the count to another case.

The client address is request.remote_addr: behind a reverse proxy, wrap the app in werkzeug's ProxyFix so that it
is the client's, not the proxy's.
"""

from __future__ import annotations

import time
from functools import wraps

from flask import current_app, jsonify, make_response, request
from flask_limiter import RateLimitExceeded
from flask_limiter.util import get_remote_address

from app.cases.errors import NotFoundError
from app.cases.people.attempts import Limits, lookup_refusal, record_failure
from app.extensions import limiter

from .access import public
from .known_clients import CASES, remember, remembered

MESSAGE = "too many lookups; try again later"


def attempt_limits() -> Limits:
    config = current_app.config
    return Limits(login_per_user_address=config["MINYI_LOGIN_FAILURES_PER_USER_ADDRESS"],
                  login_per_address=config["MINYI_LOGIN_FAILURES_PER_ADDRESS"],
                  login_per_user=config["MINYI_LOGIN_FAILURES_PER_USER"],
                  lookup_per_case=config["MINYI_LOOKUP_FAILURES_PER_CASE"],
                  lookup_per_address=config["MINYI_LOOKUP_FAILURES_PER_ADDRESS"],
                  submissions_per_address=config["MINYI_SUBMISSIONS_PER_ADDRESS_HOUR"],
                  submissions_overall=config["MINYI_SUBMISSIONS_PER_MINUTE"])


def asked_number() -> str:
    """The case number the request asks about, from where the views read it: the URL, or the POSTed form."""
    number = (request.view_args or {}).get("number") or (request.form.get("number", "") if request.method == "POST" else "")
    return str(number).strip()[:32]


def _no_lookup() -> bool:
    """The /track page without a number only shows the empty form: nothing to count."""
    return not asked_number()


_by_address = limiter.shared_limit(lambda: current_app.config["MINYI_RATELIMIT_PER_ADDRESS"], scope="public-address",
                                   key_func=get_remote_address, exempt_when=_no_lookup)


def public_lookup(view):
    """Decorate a view that looks a case up by number and access code: refused while its door is closed, a wrong
    code counted, a right one remembered by the browser."""

    @wraps(view)
    def guarded(*args, **kwargs):
        number, address = asked_number(), get_remote_address() or ""
        if not number:
            return view(*args, **kwargs)
        refusal = lookup_refusal(number, address, number in remembered(CASES), attempt_limits())
        if refusal is not None:
            return too_many(refusal.retry_after)
        try:
            response = make_response(view(*args, **kwargs))
        except NotFoundError:
            record_failure("lookup", number, address)
            raise
        if response.status_code == 404:
            record_failure("lookup", number, address)
        elif response.status_code < 400 or response.status_code == 409:  # the code was right
            remember(response, CASES, number)
        return response

    return public(_by_address(guarded))


def too_many_requests(exc: RateLimitExceeded):
    """Flask-Limiter's refusal: 429 with Retry-After."""
    current = limiter.current_limit
    return too_many(max(1, int(current.reset_at - time.time())) if current else 60)


def too_many(retry_after: int):
    """429 with Retry-After: the API's error shape under /api/, a plain message elsewhere."""
    if request.path.startswith("/api/"):
        response = jsonify({"error": {"code": "rate_limited", "message": MESSAGE, "details": {}}})
    else:
        response = current_app.response_class(
            "查询过于频繁，请稍后再试。 Too many lookups; try again later.\n", mimetype="text/plain")
    response.status_code = 429
    response.headers["Retry-After"] = str(retry_after)
    return response
