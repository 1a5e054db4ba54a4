"""What a browser has proved before, in signed cookies (the app's secret key; not readable by scripts): the case
numbers whose access code it gave correctly, and the user names that signed in from it. A door that closes against
guessing (app/cases/people/attempts.py) stays open for them, so a guesser elsewhere does not lock out the petitioner
or the member of staff at their own device."""

from __future__ import annotations

from flask import Response, current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer

CASES, USERS = "minyi_cases", "minyi_device"
KEEP_DAYS = 90
MOST = 20  # the newest ones kept: a cookie stays small


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def remembered(cookie: str) -> list[str]:
    raw = request.cookies.get(cookie, "")
    if not raw or len(raw) > 4000:
        return []
    try:
        found = _serializer(cookie).loads(raw, max_age=KEEP_DAYS * 86400)
    except BadSignature:
        return []
    return [str(v) for v in found][:MOST] if isinstance(found, list) else []


def remember(response: Response, cookie: str, value: str) -> Response:
    values = [value] + [v for v in remembered(cookie) if v != value]
    response.set_cookie(cookie, _serializer(cookie).dumps(values[:MOST]), max_age=KEEP_DAYS * 86400, httponly=True,
                        samesite="Lax", secure=current_app.config.get("SESSION_COOKIE_SECURE", False))
    return response
