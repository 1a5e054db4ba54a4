"""Accounts (admins): a user's API tokens, revoking one, deactivating and reactivating a user."""

from __future__ import annotations

from flask import jsonify

from app.cases.people.accounts import activate_user, deactivate_user, revoke_token, tokens_of
from app.models import utcnow

from . import bp
from .admin_outputs import TokenOut, UserOut
from .auth import current_user, require

_TOKEN_OUT, _USER_OUT = TokenOut(), UserOut()


def token_body(token, username: str) -> dict:
    state = "revoked" if token.revoked_at else "expired" if token.expires_at <= utcnow() else "active"
    return _TOKEN_OUT.dump({**{c: getattr(token, c) for c in ("id", "name", "created_at", "expires_at", "revoked_at")},
                            "user": username, "state": state})


def user_body(user) -> dict:
    return _USER_OUT.dump({
        "username": user.username, "display_name": user.display_name, "roles": sorted(user.roles),
        "department": user.department.code if user.department else None, "active": user.active,
        "deactivated_at": user.deactivated_at,
    })


@bp.get("/users/<username>/tokens")
@require("account.manage")
def list_tokens(username: str):
    tokens = tokens_of(current_user(), username)
    return jsonify({"items": [token_body(t, username) for t in tokens], "total": len(tokens)})


@bp.post("/tokens/<id:token_id>/revoke")
@require("account.manage")
def revoke(token_id: int):
    token = revoke_token(current_user(), token_id)
    return jsonify(token_body(token, token.user.username))


@bp.post("/users/<username>/deactivate")
@require("account.manage")
def deactivate(username: str):
    return jsonify(user_body(deactivate_user(current_user(), username)))


@bp.post("/users/<username>/activate")
@require("account.manage")
def activate(username: str):
    return jsonify(user_body(activate_user(current_user(), username)))
