"""One search box for staff, over the cases the user may see: what a clerk or handler has in hand when someone
calls -- a case number (whole, its start or its end), a phone number, an e-mail address, a resident ID number, a
name, or words of the title (two characters and more).

Ranked as people read it: the case that number names first; then each person the text names (by their identity
keys, or a petitioner's exact name) with their cases grouped under them; then the titles holding the text, newest
first. Every part applies the user's case scope in SQL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import select

from app.extensions import db
from app.models import Case, Petitioner

from .. import errors, policy
from ..errors import T
from ..people.identity import identity_keys
from ..people.petitioners import History, find_person, history
from ..policy import Principal
from .case_list import Filters, cases
from .search import CASE_NUMBER, DIGITS, MIN_LENGTH

PEOPLE = 5  # persons shown at most (a common name names many)
PER_PAGE = 20


@dataclass
class Found:
    q: str
    numbered: list[Case] = field(default_factory=list)  # the case numbers the text names (whole, start or end)
    people: list[History] = field(default_factory=list)  # each person the text names, with their cases
    titles: list[Case] = field(default_factory=list)  # titles holding the text, newest first
    titles_total: int = 0


def search(user: Principal, q: str) -> Found:
    """Everything the text may name, in the order a person reads it."""
    policy.require(user, "case.list")
    q = (q or "").strip()[:100]
    if len(q) < MIN_LENGTH and not CASE_NUMBER.match(q):
        raise errors.ValidationFailedError(T('search text too short'), {"q": [
            T('Type at least %(MIN_LENGTH)s characters, or a whole case number.', MIN_LENGTH=MIN_LENGTH)]})
    found = Found(q)
    page = cases(user, Filters(q=q), per_page=PER_PAGE)
    if CASE_NUMBER.match(q) or (DIGITS.match(q) and len(q) >= 3):
        found.numbered = [c for c in page.items if c.number == q or c.number.startswith(q) or c.number.endswith(q)]
    found.titles = [c for c in page.items if c not in found.numbered]
    found.titles_total = page.total
    everyone = policy.may(user, "person.lookup")  # department staff: the persons behind cases of theirs only
    found.people = [h for h in (history(user, person_id) for person_id in _people(q)) if everyone or h.cases]
    return found


def _people(q: str) -> list[int]:
    """The persons the text names: by an identifier it is (phone, e-mail, ID number), or a petitioner's exact name."""
    keys = identity_keys(phone=q if _phone_like(q) else None, email=q if "@" in q else None,
                         id_number=q if len(q) >= 15 else None)
    found = [person_id] if keys and (person_id := find_person(keys)) is not None else []
    if not _phone_like(q) and "@" not in q:
        named = db.session.scalars(select(Petitioner.person_id).where(
            Petitioner.name == q, Petitioner.person_id.is_not(None)).distinct().limit(PEOPLE))
        found += [p for p in named if p not in found]
    return found[:PEOPLE]


def _phone_like(q: str) -> bool:
    return bool(re.fullmatch(r"[+\d][\d\s()-]{6,}", q))
