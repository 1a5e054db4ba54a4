"""Repeats and duplicates at intake: the cases a new appeal may be the same matter as, each with a score and why.

Three sources, merged per case:
- **the same person** (their phone number, e-mail or ID number, through the petitioner records): their open cases,
  and those received in the last RECENT_DAYS; a claim of theirs that went through re-review (复核) is flagged, as it
  may not be accepted again (信访工作条例 Art. 36);
- **a similar text**: open cases with a title like the new one -- found by a title index (PostgreSQL: pg_trgm
  distance over the open cases' own GiST index, the nearest POOL; SQLite: FTS5 trigram phrases), then scored with rapidfuzz on the
  title and the description, so both databases rank alike;
- **the same topic in the same area** (事项分类 and 属地), received in the last PLACE_DAYS: read newest first from the
  (topic, area, received) index, scored by how alike their texts are.
The clerk decides: link the appeal as a repeat of an open case (repeats.py), refuse it as re-reviewed, or register
it as a new case.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from rapidfuzz import fuzz
from sqlalchemy import Float, exists, literal_column, or_, select, text

from app.extensions import db
from app.models import FINAL_STATUSES, SEARCH_TABLE, Case, Petitioner, utcnow

from .. import policy, records
from ..errors import T
from ..people.identity import identity_keys
from ..people.petitioners import find_person, members_of
from ..policy import Principal
from ..sql import OPEN_CASE
from ..taxonomy.trees import node_by_code
from .repeats import decided_re_reviews

_reviews = Case.__table__.alias("review")

RECENT_DAYS = 90
POOL = 30  # title matches scored per search
MIN_SCORE = 0.6  # a text this similar (0-1) is worth the clerk's look
LIMIT = 10
PERSON_CASES = 20  # the caller's newest cases looked at
PERSON_SCAN = 2000  # ... among their newest this many
PLACE_DAYS = 30  # the same topic in the same area: cases received this many days back
PLACE_CASES = 10  # ... the newest this many of them


@dataclass
class Candidate:
    case: Case
    score: float
    reasons: list[dict] = field(default_factory=list)  # {code, text (a T message), ...}
    re_reviewed_in: str | None = None  # the number of the re-review that decided this claim


def candidates(user: Principal, title: str | None, description: str | None = None, phone: str | None = None,
               email: str | None = None, id_number: str | None = None, exclude: int | None = None,
               topic: str | None = None, area: str | None = None) -> list[Candidate]:
    """The cases the appeal may repeat, best first (at most LIMIT); `topic` and `area` are codes (422 if unknown)."""
    policy.require(user, "case.register")
    topic_node, area_node = node_by_code("topic", topic, "topic"), node_by_code("area", area, "area")
    return _candidates(user, title, description, phone, email, id_number, exclude,
                       topic_node.id if topic_node else None, area_node.id if area_node else None)


def _candidates(user: Principal, title: str | None, description: str | None, phone: str | None, email: str | None,
                id_number: str | None, exclude: int | None, topic_id: int | None, area_id: int | None) -> list[Candidate]:
    since = utcnow() - timedelta(days=RECENT_DAYS)
    found: dict[int, Candidate] = {}
    keys = identity_keys(phone, email, id_number)
    person_id = find_person(keys) if keys else None
    if person_id is not None:
        _same_person(found, person_id, since)
    if title and len(title.strip()) >= 2:
        for case in _similar_titles(title.strip()):
            score = _text_score(title, description, case)
            if score < MIN_SCORE:
                continue
            entry = _entry(found, case)
            entry.score = max(entry.score, score)
            said = next((r for r in entry.reasons if r["code"] == "similar_text"), None)
            if said is None or said["score"] < round(score, 2):  # one reason per kind: the best (a repeat's text too)
                if said is not None:
                    entry.reasons.remove(said)
                entry.reasons.append({"code": "similar_text", "score": round(score, 2),
                                      "text": T('a similar text (%(percent)s %%)', percent=round(score * 100))})
    if topic_id is not None and area_id is not None:
        _same_place(found, topic_id, area_id, title or "", description)
    found.pop(exclude, None)
    shown = [c for c in found.values() if policy.cleared(user) or not c.case.confidential]
    return sorted(shown, key=lambda c: (-c.score, -c.case.id))[:LIMIT]


def candidates_of_case(user: Principal, number: str) -> list[Candidate]:
    """The triage check of a case registered without a clerk (the web form, e-mail, Open311): the cases it may repeat,
    by its title, text and petitioner, itself left out."""
    policy.require(user, "case.register")
    case = policy.check_case_access(user, records.case_by_number(number))
    who = case.petitioner
    named = who is not None and not who.anonymous
    return _candidates(user, case.title, case.description, who.phone if named else None,
                       who.email if named else None, who.id_number if named else None, case.id, case.topic_id,
                       case.area_id)


def _same_place(found: dict[int, Candidate], topic_id: int, area_id: int, title: str, description: str | None) -> None:
    """The newest cases of the same topic in the same area of the last PLACE_DAYS (open or not: a closed one tells
    the clerk the matter came up and what was answered), scored between 0.5 and 0.9 by their text."""
    since = utcnow() - timedelta(days=PLACE_DAYS)
    for case in db.session.scalars(select(Case).where(Case.topic_id == topic_id, Case.area_id == area_id,
                                                      Case.received_at >= since)
                                   .order_by(Case.received_at.desc()).limit(PLACE_CASES)):
        days = max(0, (utcnow() - case.received_at).days)
        entry = _entry(found, case)
        entry.score = max(entry.score, 0.5 + 0.4 * _text_score(title, description, case))
        if not any(r["code"] == "same_place" for r in entry.reasons):
            entry.reasons.append({"code": "same_place", "text": T(
                'the same topic in the same area, %(days)s days ago', days=days)})


def _same_person(found: dict[int, Candidate], person_id: int, since) -> None:
    """The caller's open cases, those of the last RECENT_DAYS, and those taken to review (a re-review ends a claim)."""
    # their case ids first, as values: under `id IN (subquery) ORDER BY id DESC LIMIT`, PostgreSQL walks the whole
    # case table backwards from the newest case to reach a caller whose cases are old (154 ms p95 at 1M)
    theirs = list(db.session.scalars(select(Petitioner.case_id).where(Petitioner.person_id.in_(members_of(person_id)))
                                     .order_by(Petitioner.case_id.desc()).limit(PERSON_SCAN)))
    if not theirs:
        return
    reviewed = exists(select(_reviews.c.id).where(_reviews.c.review_of_id == Case.id))
    cases = [_handling(c) for c in db.session.scalars(
        select(Case).where(Case.id.in_(theirs), or_(OPEN_CASE, Case.received_at >= since, reviewed))
        .order_by(Case.id.desc()).limit(PERSON_CASES))]
    decided = decided_re_reviews(sorted({c.id for c in cases}))
    for case in cases:
        still_open = case.status not in FINAL_STATUSES
        entry = _entry(found, case)
        entry.score = max(entry.score, 1.0 if still_open else 0.8)
        if any(r["code"] == "same_person" for r in entry.reasons):
            continue  # the caller's repeat of this case, met again
        entry.reasons.append({"code": "same_person", "text": T('the same caller; the case is open') if still_open
                              else T('the same caller; the case is finished')})
        if case.id in decided:
            entry.re_reviewed_in = decided[case.id].number
            entry.reasons.append({"code": "re_reviewed", "text": T(
                'this claim was decided on re-review in case %(number)s: it is not accepted again (Art. 36)',
                number=decided[case.id].number)})


def _entry(found: dict[int, Candidate], case: Case) -> Candidate:
    case = _handling(case)
    return found.setdefault(case.id, Candidate(case, 0.0))


def _handling(case: Case) -> Case:
    """The case itself -- or the case that handles it, when it is a repeat (that is the one to link to)."""
    return db.session.get(Case, case.repeat_of_id) if case.repeat_of_id is not None else case


def _text_score(title: str, description: str | None, case: Case) -> float:
    score = fuzz.ratio(title, case.title) / 100
    if description and case.description:
        score = max(score, 0.9 * fuzz.partial_ratio(description[:300], case.description[:300]) / 100)
    return score


def _similar_titles(title: str) -> list[Case]:
    """Open cases with a title like this one: a repeat joins an open case (a closed one's matter starts anew), and
    open cases are a few weeks of a city, where all cases are ten years (their own partial index, migration 0035)."""
    if db.session.get_bind().dialect.name == "sqlite":
        pieces = sorted({title[i:i + 3] for i in range(len(title) - 2)})[:12] or [title]
        phrase = " OR ".join('"' + p.replace('"', '""') + '"' for p in pieces)
        matches = (select(literal_column("rowid")).select_from(text(SEARCH_TABLE))
                   .where(text(f"{SEARCH_TABLE} MATCH :phrase").bindparams(phrase=phrase))
                   .order_by(text("rank")).limit(POOL * 10))
        return list(db.session.scalars(select(Case).where(Case.id.in_(matches), OPEN_CASE)
                                       .order_by(Case.id.desc()).limit(POOL)))
    distance = Case.title.op("<->", return_type=Float)(title)  # nearest first, through the open cases' GiST index
    return list(db.session.scalars(select(Case).where(OPEN_CASE).order_by(distance).limit(POOL)))  # distance alone: KNN
