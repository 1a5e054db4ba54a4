"""Signing in and out, and the language switch."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_user, logout_user

from app.cases import policy
from app.cases.people.attempts import forget_failures, login_refusal, record_failure
from app.cases.people.sessions import end_session, start_session
from app.cases.people.users import principal_of, verify_password

from ..access import public
from ..known_clients import USERS, remember, remembered
from ..limits import attempt_limits
from ..locale import LANGUAGES
from . import bp
from .session import SESSION_KEY, SessionUser


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    if request.method == "GET":
        if current_user.is_authenticated:
            return redirect(_home(current_user.principal))
        return render_template("staff/login.html", next=_safe_next(request.args.get("next")))
    username = request.form.get("username", "").strip()[:64]
    address = get_remote_address() or ""
    known = username.casefold() in remembered(USERS)
    refusal = login_refusal(username, address, known, attempt_limits()) if username else None
    if refusal is not None:
        response = current_app.make_response(login_refused(refusal.retry_after))
        response.headers["Retry-After"] = str(refusal.retry_after)
        return response
    user = verify_password(username, request.form.get("password", "")[:1024]) if username else None
    if user is None:
        if username:
            record_failure("login", username, address)
        error = _("Wrong user name or password.")
        return render_template("staff/login.html", error=error, username=username,
                               next=_safe_next(request.form.get("next"))), 401
    forget_failures("login", username, address)
    lang = session.get("lang")
    session.clear()  # a fresh session on sign-in: no fixation
    if lang:
        session["lang"] = lang
    session.permanent = True
    session[SESSION_KEY] = start_session(user.id, address)
    principal = principal_of(user)
    login_user(SessionUser(principal))
    return remember(redirect(_safe_next(request.form.get("next")) or _home(principal)), USERS, username.casefold())


def _home(principal) -> str:
    """Where a user starts: the figures for analysts and leaders, the inbox for those who handle tasks, the
    workbench for process owners."""
    if principal.has_role("analyst", "leader"):
        return url_for("staff.stats")
    if policy.may(principal, "task.list"):
        return url_for("staff.inbox")
    if policy.may(principal, "workbench.use"):
        return url_for("staff.workbench")
    return url_for("pages.index")


def login_refused(retry_after: int):
    """The sign-in page once a user name (or address) has failed too often."""
    minutes = max(1, (retry_after + 59) // 60)
    error = _("Too many failed sign-ins. Try again in %(minutes)d minutes, or ask an administrator.", minutes=minutes)
    return render_template("staff/login.html", error=error, username=request.form.get("username", "")[:64], next=None), 429


@bp.post("/logout")
@public
def logout():
    lang = session.get("lang")
    end_session(session.get(SESSION_KEY, ""))
    logout_user()
    session.clear()
    if lang:
        session["lang"] = lang
    return redirect(url_for("staff.login"))


@bp.post("/language")
@public
def language():
    lang = request.form.get("lang", "")
    if lang in LANGUAGES:
        session["lang"] = lang
    return redirect(_safe_next(request.form.get("next")) or url_for("pages.index"))


def _safe_next(target: str | None) -> str | None:
    """A path on this site only: no scheme, no host, no protocol-relative '//'."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else None
