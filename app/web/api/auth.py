"""Bearer-token authentication and role checks for the API."""

from __future__ import annotations

from functools import wraps

from flask import g, request

from app.cases.errors import ForbiddenError, MinyiError
from app.cases.people.tokens import user_for_token

# Who may read process versions, their diffs and migrations (changing them is for owners and admins).
PROCESS_READERS = ("owner", "admin", "supervisor", "analyst", "leader")


class UnauthorizedError(MinyiError):
    code, http_status = "unauthorized", 401


def current_user():
    return g.api_user


def require(*roles: str):
    """The view needs a valid token, and one of `roles` when given."""

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
            if roles and not user.has_role(*roles):
                raise ForbiddenError(f"needs one of the roles: {', '.join(roles)}")
            g.api_user = user
            return view(*args, **kwargs)

        return wrapper

    return decorate
