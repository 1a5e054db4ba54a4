"""The process catalogue: which process each category's cases start."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import CATEGORIES, CatalogueEntry, ProcessVersion

from .. import reference
from ..errors import NotFoundError, T, ValidationFailedError
from ..transaction import transaction

DEFAULT_PROCESS = "complaint"  # what every category started before the catalogue existed
DEFAULT_BINDERS = ("migration", "default")  # who wrote a binding no one chose (migration 0006, ensure_default_catalogue)


def catalogue() -> list[dict]:
    """Every category with the process key it is bound to (None when unbound)."""
    bindings = reference.catalogue_bindings()
    return [{"category": category, "process": bindings.get(category)} for category in CATEGORIES]


def bind_category(category: str, process_key: str, actor: str | None = None) -> dict:
    """Bind a category to a process that has an active published version."""
    if category not in CATEGORIES:
        raise NotFoundError(T("no category '%(category)s' (categories: %(value)s)", category=category, value=', '.join(CATEGORIES)))
    key = process_key.strip() if isinstance(process_key, str) else ""
    if not key:
        raise ValidationFailedError(T('name a process'), {"process": [T('must be a process key')]})
    active = db.session.scalar(select(ProcessVersion.id).where(
        ProcessVersion.key == key, ProcessVersion.active.is_(True), ProcessVersion.state == "published"))
    if active is None:
        raise ValidationFailedError(
            T("process '%(key)s' is not deployed", key=key), {"process": [T("process '%(key)s' has no active published version", key=key)]}
        )
    with transaction():
        entry = db.session.get(CatalogueEntry, category)
        if entry is None:
            db.session.add(CatalogueEntry(category=category, process_key=key, updated_by=actor))
        else:
            entry.process_key, entry.updated_by = key, actor
    reference.forget()
    return {"category": category, "process": key}


def bind_own_category(key: str) -> bool:
    """In the caller's transaction: a process named after a category becomes that category's process when the
    category is unbound or bound by default (a fresh installation's deploy routes consultations to
    `consultation`); a binding someone chose (`minyi processes bind`) stays. Returns whether it bound."""
    if key not in CATEGORIES:
        return False
    entry = db.session.get(CatalogueEntry, key)
    if entry is None:
        db.session.add(CatalogueEntry(category=key, process_key=key, updated_by="deploy"))
        return True
    if entry.updated_by in DEFAULT_BINDERS and entry.process_key != key:
        entry.process_key, entry.updated_by = key, "deploy"
        return True
    return False


def ensure_default_catalogue() -> None:
    """Bind every unbound category to the complaint process, as migration 0006 does (idempotent)."""
    with transaction():
        bound = set(db.session.scalars(select(CatalogueEntry.category)))
        for category in CATEGORIES:
            if category not in bound:
                db.session.add(CatalogueEntry(category=category, process_key=DEFAULT_PROCESS, updated_by="default"))
    reference.forget()


def bind_categories_to_their_processes(actor: str | None = None) -> list[str]:
    """Bind each category to the process of the same name (consultation -> consultation, ...) when that
    process has an active version; returns the categories (re)bound. Used by the demo seed."""
    active = set(db.session.scalars(select(ProcessVersion.key).where(
        ProcessVersion.active.is_(True), ProcessVersion.state == "published")))
    bindings = reference.catalogue_bindings()
    changed = [c for c in CATEGORIES if c in active and bindings.get(c) != c]
    for category in changed:
        bind_category(category, category, actor)
    return changed
