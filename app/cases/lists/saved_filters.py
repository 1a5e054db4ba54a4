"""Saved inbox filters: a user keeps the inbox's filter set under a name, for themselves or for one of their groups."""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select

from app.extensions import db
from app.models import CATEGORIES, SavedFilter

from .. import errors
from ..errors import T
from ..policy import Principal
from ..transaction import transaction
from .inbox import DUE_WINDOWS, SCOPES, Inbox, InboxFilters, inbox

# What a filter set may hold: the inbox's filters (never its page), each with the values the inbox knows.
FILTER_VALUES: dict[str, tuple[str, ...] | None] = {
    "scope": SCOPES, "category": CATEGORIES, "sla": ("overdue", "at_risk"), "due": DUE_WINDOWS, "q": None,
}
MAX_SAVED = 50  # per owner: a list of links on the inbox, not a store


def saved_filters(user: Principal) -> list[SavedFilter]:
    """My saved filters and those shared with one of my groups, by name."""
    mine_or_shared = or_(SavedFilter.owner == user.username, SavedFilter.shared_with.in_(sorted(user.groups)))
    return list(db.session.scalars(select(SavedFilter).where(mine_or_shared).order_by(SavedFilter.name, SavedFilter.id)))


def save_filter(user: Principal, name: str, filters: dict[str, Any], shared_with: str | None = None) -> SavedFilter:
    """Keep a filter set under a name (unique per owner); shared only with a group the owner belongs to."""
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise errors.ValidationFailedError(T('a name is required'), {"name": [T('1 to 100 characters')]})
    if shared_with and shared_with not in user.groups:
        raise errors.ValidationFailedError(
            T('not one of your groups'), {"shared_with": [T('one of %(value)s', value=', '.join(sorted(user.groups)))]})
    clean = clean_filters(filters)
    owned = db.session.scalar(select(db.func.count()).where(SavedFilter.owner == user.username)) or 0
    if owned >= MAX_SAVED:
        raise errors.ConflictError(T('at most %(MAX_SAVED)s saved filters each; delete one first', MAX_SAVED=MAX_SAVED))
    with transaction(on_duplicate=f"you have a saved filter named {name} already"):
        saved = SavedFilter(owner=user.username, name=name, filters=clean, shared_with=shared_with or None)
        db.session.add(saved)
    return saved


def delete_filter(user: Principal, filter_id: int) -> SavedFilter:
    """Only its owner deletes a saved filter; others who can see it get 403, the rest 404."""
    saved = db.session.get(SavedFilter, filter_id) if isinstance(filter_id, int) else None
    if saved is None or (saved.owner != user.username and saved.shared_with not in user.groups):
        raise errors.NotFoundError(T('no saved filter %(filter_id)s', filter_id=filter_id))
    if saved.owner != user.username:
        raise errors.ForbiddenError(T('only its owner deletes a saved filter'))
    with transaction():
        db.session.delete(saved)
        db.session.flush()
        db.session.expunge(saved)  # keeps its values readable after the commit, for the answer
    return saved


def clean_filters(filters: dict[str, Any]) -> dict[str, str]:
    """The filter set without empty values; an unknown filter or value is refused (422)."""
    if not isinstance(filters, dict):
        raise errors.ValidationFailedError(T('filters must be an object'), {"filters": [T('an object')]})
    clean, problems = {}, {}
    for key, value in filters.items():
        if value in (None, ""):
            continue
        allowed = FILTER_VALUES.get(key, ())
        if key not in FILTER_VALUES or not isinstance(value, str):
            problems[f"filters.{key}"] = ["unknown filter" if key not in FILTER_VALUES else "must be text"]
        elif allowed is not None and value not in allowed:
            problems[f"filters.{key}"] = [f"one of {', '.join(allowed)}"]
        elif len(value.strip()) > 100:
            problems[f"filters.{key}"] = ["at most 100 characters"]
        elif value.strip():
            clean[key] = value.strip()
    if problems:
        raise errors.ValidationFailedError(T('bad filters'), problems)
    return clean


def inbox_with_saved_filters(user: Principal, filters: InboxFilters) -> tuple[Inbox, list[SavedFilter]]:
    """The inbox page in one call: its page of tasks and the saved filters it offers as links."""
    return inbox(user, filters), saved_filters(user)
