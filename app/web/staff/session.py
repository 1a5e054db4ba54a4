"""Staff sessions with Flask-Login, kept on the server: the cookie names a session row, read with its user on every
request, so logging out, deactivating a user or a new password ends the session at once (as revocation does a
token)."""

from __future__ import annotations

from functools import wraps

from flask import abort, current_app, session
from flask_login import UserMixin, current_user, login_required

from app.cases import policy
from app.cases.errors import ForbiddenError
from app.cases.people.sessions import principal_for_session
from app.cases.policy import Principal
from app.extensions import login_manager
from app.models import ROLES

from ..access import check, mark


class SessionUser(UserMixin):
    """The signed-in user: their Principal (what services need) plus what the header shows."""

    def __init__(self, principal: Principal):
        self.principal = principal

    def get_id(self) -> str:
        return str(self.principal.id)

    @property
    def name(self) -> str:
        return self.principal.display_name or self.principal.username

    @property
    def roles(self) -> list[str]:
        """The roles in the order of ROLES: the working ones first, an add-on (cleared for confidential cases) last."""
        return [role for role in ROLES if role in self.principal.roles]

    @property
    def department(self) -> str | None:
        return self.principal.department_name

    def has_role(self, *roles: str) -> bool:
        return self.principal.has_role(*roles)

    def may(self, action: str) -> bool:
        """Whether the policy lets this user do `action` at all (the pages show only what one may use)."""
        return policy.may(self.principal, action)


SESSION_KEY = "sid"  # the cookie's name for the server-side session (app/cases/people/sessions.py)


@login_manager.user_loader
def load_user(user_id: str) -> SessionUser | None:
    """The session's user, read again on every request: none once the session ended (logout, deactivation, a new
    password) or outlived PERMANENT_SESSION_LIFETIME, whatever the signed cookie still says."""
    if not user_id.isdigit() or len(user_id) > 10:
        return None
    principal = principal_for_session(session.get(SESSION_KEY, ""), int(user_id),
                                      current_app.permanent_session_lifetime)
    return SessionUser(principal) if principal else None


login_manager.login_view = "staff.login"
login_manager.login_message = None  # the login page says what it needs to
login_manager.session_protection = "basic"


def me() -> Principal:
    """The signed-in user's Principal (inside a view guarded by `staff_only`)."""
    return current_user.principal


def staff_only(action: str, target: str | None = None):
    """The view needs a session and the policy's leave to do `action` (to the `target` its URL names); 403 otherwise."""

    def decorate(view):
        @login_required
        @wraps(view)
        def wrapper(*args, **kwargs):
            try:
                check(me(), action, target, kwargs, "page")
            except ForbiddenError as exc:
                if exc.details.get("confidential"):
                    raise  # the 403 page says why: the case is confidential
                abort(403)  # the rule's wording names roles by their codes: the page says no more than "not allowed"
            return view(*args, **kwargs)

        return mark(wrapper, action, target)

    return decorate
