"""Text search of cases.

- A whole case number: its unique index.
- Digits only (3 or more): cases whose number starts or ends with them — the date of receipt or the tail of the
  sequence, which is what people quote — each an index range (`number`, `number_reversed`, both compared byte by
  byte), plus titles containing them.
- Any other text of 3 characters or more: a substring of the title, through the search index
  (app/models/search.py): FTS5 trigram on SQLite, pg_trgm GIN on PostgreSQL.
- Two characters (most Chinese words and names: 噪音, 张三): titles holding that piece, through the bigram index
  (the title's two-character pieces, written at registration).

One character is refused: it is in too many titles to be a search. Digits in the middle of a number are not
searched: trigrams of digits are few and common ('000' is in nearly every number), so a substring of numbers would
read tens of thousands of candidates at a million cases.
"""

from __future__ import annotations

import re

from sqlalchemy import and_, literal_column, or_, select, text

from app.extensions import db
from app.models import BIGRAM_TABLE, SEARCH_TABLE, Case

from .. import errors
from ..errors import T

CASE_NUMBER = re.compile(r"^\d{14}$")
DIGITS = re.compile(r"^\d+$")
MIN_LENGTH = 2


def case_search_condition(q: str, on=Case, table: str = '"case"'):
    """A condition on Case matching `q` (stripped): the number itself, its start or end, or part of the title.
    `on` and `table`: the same condition on an alias of Case (PostgreSQL; `table` is the alias as SQL names it)."""
    q = q.strip()
    if CASE_NUMBER.match(q):
        return on.number == q
    if len(q) < MIN_LENGTH:
        raise errors.ValidationFailedError(
            T('search text too short'), {"q": [T('Type at least %(MIN_LENGTH)s characters, or a whole case number.',
                  MIN_LENGTH=MIN_LENGTH)]})
    if DIGITS.match(q) and len(q) >= 3:
        return or_(_starts_with(on.number, q), _starts_with(on.number_reversed, q[::-1]), _title_contains(q, on))
    if len(q) == 2:
        return _title_has_piece(q.casefold(), on, table)
    return _title_contains(q, on)


def _title_has_piece(piece: str, on=Case, table: str = '"case"'):
    """Titles holding the two characters `piece` side by side (the bigram index)."""
    if not (piece[0].isalnum() and piece[1].isalnum()):
        raise errors.ValidationFailedError(
            T('search text too short'), {"q": [T('Type at least %(MIN_LENGTH)s characters, or a whole case number.',
                                                 MIN_LENGTH=MIN_LENGTH)]})
    if db.session.get_bind().dialect.name == "sqlite":
        matches = (select(literal_column("rowid")).select_from(text(BIGRAM_TABLE))
                   .where(text(f"{BIGRAM_TABLE} MATCH :piece").bindparams(piece='"' + piece + '"')))
        return on.id.in_(matches)
    # written as the index's expression (app/models/search.py) so that PostgreSQL matches it to the GIN index
    return text(f"string_to_array({table}.title_bigrams, ' ') @> ARRAY[CAST(:piece AS TEXT)]").bindparams(piece=piece)


def _starts_with(column, prefix: str):
    """A range of the column's index: [prefix, prefix with its last digit raised) — ':' follows '9' in ASCII."""
    return and_(column >= prefix, column < prefix[:-1] + chr(ord(prefix[-1]) + 1))


def _title_contains(q: str, on=Case):
    if db.session.get_bind().dialect.name == "sqlite":
        phrase = '"' + q.replace('"', '""') + '"'  # one FTS5 phrase: with the trigram tokenizer, a substring
        matches = (select(literal_column("rowid")).select_from(text(SEARCH_TABLE))
                   .where(text(f"{SEARCH_TABLE} MATCH :phrase").bindparams(phrase=phrase)))
        return on.id.in_(matches)
    escaped = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return on.title.ilike(f"%{escaped}%", escape="\\")
