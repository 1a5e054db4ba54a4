"""Bearer-token authentication for the API, and each view's rule from the one access policy."""

from __future__ import annotations

from functools import wraps

from flask import g, request

from app.cases.errors import MinyiError
from app.cases.people.tokens import user_for_token

from ..access import check, mark


class UnauthorizedError(MinyiError):
    code, http_status = "unauthorized", 401


def current_user():
    return g.api_user


def require(action: str, target: str | None = None):
    """The view needs a valid token and the policy's leave to do `action` (to the `target` its URL names)."""

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            header = request.headers.get("Authorization", "")
            scheme, _, token = header.partition(" ")
            if scheme.lower() != "bearer" or not token.strip():
                raise UnauthorizedError("send Authorization: Bearer TOKEN (from `minyi users token`)")
            user = user_for_token(token.strip())
            if user is None:
                raise UnauthorizedError("the token is not valid")
            check(user, action, target, kwargs, "api")
            g.api_user = user
            return view(*args, **kwargs)

        return mark(wrapper, action, target)

    return decorate
