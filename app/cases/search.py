"""Text search of cases: a whole case number through its unique index, any other text of three characters
or more as a substring of title or number through the search index (app/models/search.py): FTS5 trigram
on SQLite, pg_trgm GIN on PostgreSQL. Shorter text has no trigram to look up, so it is refused: a scan of
a million titles is not a search.
"""

from __future__ import annotations

import re

from sqlalchemy import literal_column, or_, select, text

from app.extensions import db
from app.models import SEARCH_TABLE, Case

from . import errors

CASE_NUMBER = re.compile(r"^\d{14}$")
MIN_LENGTH = 3


def case_search_condition(q: str):
    """A condition on Case matching `q` (stripped): the number itself, or a substring of title or number."""
    q = q.strip()
    if CASE_NUMBER.match(q):
        return Case.number == q
    if len(q) < MIN_LENGTH:
        raise errors.ValidationFailedError(
            "search text too short", {"q": [f"Type at least {MIN_LENGTH} characters, or a whole case number."]})
    if db.session.get_bind().dialect.name == "sqlite":
        phrase = '"' + q.replace('"', '""') + '"'  # one FTS5 phrase: with the trigram tokenizer, a substring
        matches = (select(literal_column("rowid")).select_from(text(SEARCH_TABLE))
                   .where(text(f"{SEARCH_TABLE} MATCH :phrase").bindparams(phrase=phrase)))
        return Case.id.in_(matches)
    escaped = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    like = f"%{escaped}%"
    return or_(Case.title.ilike(like, escape="\\"), Case.number.like(like, escape="\\"))
