"""The deployed versions as running cases read them: a version's spec by its hash, the version new cases of a
process start on, and the process a category's cases start. Cached per process; procedures/ (which deploys and
activates versions) drops the caches when it changes them.
"""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import bindparam, select

from app import engine
from app.extensions import db
from app.models import ProcessSpec, ProcessVersion

from .. import reference
from ..errors import NotFoundError, T, ValidationFailedError


def process_for_category(category: str) -> str:
    """The process key a new case of this category starts; ValidationFailedError when none is bound."""
    key = reference.catalogue_bindings().get(category)
    if key is None:
        raise ValidationFailedError(
            T("no process is bound to category '%(category)s'", category=category),
            {"category": [T("no process is bound to '%(category)s'; bind one with `minyi processes bind`", category=category)]},
        )
    return key


_versions = ProcessVersion.__table__
_ACTIVE = select(_versions.c.id, _versions.c.key, _versions.c.version, _versions.c.spec_hash).where(
    _versions.c.key == bindparam("key"), _versions.c.active.is_(True)
)
_active: dict[tuple[str, str], tuple[float, Any]] = {}
ACTIVE_MAX_AGE = 10.0


def active_version(key: str):
    """The version new cases of a process start on (id, key, version, spec_hash).

    Cached briefly: a deploy or activation in this process is seen at once, one in another within ACTIVE_MAX_AGE.
    """
    cache_key = (str(db.engine.url), key)
    found = _active.get(cache_key)
    if found is None or time.monotonic() - found[0] > ACTIVE_MAX_AGE:
        version = db.session.connection().execute(_ACTIVE, {"key": key}).first()
        if version is None:
            raise NotFoundError(T("process '%(key)s' has no active version (is it deployed?)", key=key))
        found = _active[cache_key] = (time.monotonic(), version)
    return found[1]


def forget_active_versions() -> None:
    _active.clear()


def spec_for(spec_hash: str):
    """The restored spec objects of a stored spec, from the in-process cache."""
    return engine.spec_cache.get(
        spec_hash, lambda: db.session.scalar(select(ProcessSpec.spec_json).where(ProcessSpec.hash == spec_hash))
    )
