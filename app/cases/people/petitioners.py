"""Petitioner records: the person behind every case they brought, from every channel.

Registration links each case's petitioner to a person found by their identity keys (identity.py), or to a new one;
the clerk on the phone looks a caller up by what they say (their number, address or ID number) and sees their
history; two records found to be one person are merged, with who did it and why. Repeated callers are the persons
with more than one case received in a period.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import FINAL_STATUSES, Case, Person, PersonMerge, Petitioner, utcnow

from .. import errors, policy
from ..errors import T
from ..policy import Principal
from ..sql import sql
from ..transaction import transaction
from .identity import KINDS, identity_keys

HISTORY_LIMIT = 20  # the newest cases shown with a person; the counts cover them all


@dataclass(frozen=True)
class History:
    person: Person
    cases: list[Case]  # those the user may see: open ones first, then the newest
    total: int  # every case of the person, whoever may see it
    open: int
    last_30_days: int


def link_person(name: str | None, phone: str | None, email: str | None, id_number: str | None) -> int | None:
    """The person these identifiers name (found, or recorded now), in the caller's transaction; None when nothing
    identifies them. Two intakes of a new caller at once record one person: the loser of the race finds the
    winner's record."""
    keys = identity_keys(phone, email, id_number)
    if not keys:
        return None
    now = utcnow()
    for _attempt in range(2):
        found = find_person(keys)
        if found is not None:
            _fill_in(found, keys, name, now)
            return found
        try:
            with db.session.begin_nested():
                return sql(insert(Person.__table__).returning(Person.__table__.c.id), {
                    "name": name or "", "created_at": now, "last_seen_at": now,
                    **{f"{kind}_key": key for kind, key in keys.items()}}).scalar_one()
        except IntegrityError:
            continue  # another intake recorded them meanwhile: find that record
    raise errors.ConflictError(T('the petitioner record changed meanwhile; try again'))


def lookup(user: Principal, phone: str | None = None, email: str | None = None,
           id_number: str | None = None) -> History | None:
    """Who is calling: the person the identifiers name, with their history, or None."""
    policy.require(user, "person.lookup")
    keys = identity_keys(phone, email, id_number)
    if not keys:
        raise errors.ValidationFailedError(T('nothing to look up'), {"phone": [
            T('Give a phone number, an e-mail address or a resident ID number.')]})
    person_id = find_person(keys)
    return history(user, person_id) if person_id is not None else None


def history(user: Principal, person_id: int) -> History:
    """The person's cases the user may see (open first, then newest) and counts over all of them."""
    person = db.session.get(Person, _root(person_id))
    if person is None:
        raise errors.NotFoundError(T('no petitioner record %(id)s', id=person_id))
    members = members_of(person.id)
    theirs = select(Petitioner.case_id).where(Petitioner.person_id.in_(members))
    scope = policy.case_scope(user)
    shown = select(Case).where(Case.id.in_(theirs))
    if scope is not None:
        shown = shown.where(scope)
    cases = list(db.session.scalars(shown.order_by(Case.status.in_(sorted(FINAL_STATUSES)), Case.id.desc())
                                    .limit(HISTORY_LIMIT)))
    since = utcnow() - timedelta(days=30)
    counted = select(func.count(), func.count().filter(Case.status.not_in(sorted(FINAL_STATUSES))),
                     func.count().filter(Case.received_at >= since)).where(Case.id.in_(theirs))
    if not policy.cleared(user):  # a confidential case is not even counted for them
        counted = counted.where(policy.NOT_CONFIDENTIAL)
    total, still_open, recent = db.session.execute(counted).one()
    return History(person, cases, total, still_open, recent)


def history_of_case(user: Principal, case: Case) -> History | None:
    """The history of the case's petitioner (their other cases), or None when no record is linked."""
    person_id = db.session.scalar(select(Petitioner.person_id).where(Petitioner.case_id == case.id))
    return history(user, person_id) if person_id is not None else None


def merge(user: Principal, person_id: int, into_id: int, reason: str) -> Person:
    """Record that `person_id` is `into_id`: its cases count for that record from now on; kept with who and why."""
    policy.require(user, "person.merge")
    if not (reason or "").strip():
        raise errors.ValidationFailedError(T('a merge needs a reason'), {"reason": [T('Say why these are one person.')]})
    source, target = _root(person_id), _root(into_id)
    if db.session.get(Person, source) is None or db.session.get(Person, target) is None:
        raise errors.NotFoundError(T('no petitioner record %(id)s', id=person_id if db.session.get(
            Person, source) is None else into_id))
    if source == target:
        raise errors.ConflictError(T('these records are one person already'))
    with transaction():
        done = db.session.execute(update(Person).where(Person.id == source, Person.merged_into_id.is_(None))
                                  .values(merged_into_id=target).execution_options(synchronize_session=False))
        if done.rowcount != 1:
            raise errors.ConflictError(T('the petitioner record changed meanwhile; try again'))
        sql(insert(PersonMerge.__table__), {"person_id": source, "into_id": target, "actor": user.username,
                                  "reason": reason.strip(), "at": utcnow()})
    return db.session.get(Person, target)


def repeated_callers(user: Principal, since: datetime, until: datetime, at_least: int = 2,
                     limit: int = 50) -> list[tuple[int, int]]:
    """(person id, cases received in [since, until)) for persons with at least `at_least`, most first."""
    policy.require(user, "person.repeated")
    root = func.coalesce(Person.merged_into_id, Person.id)
    count = func.count(Case.id)
    rows = db.session.execute(
        select(root, count).select_from(Case).join(Petitioner, Petitioner.case_id == Case.id)
        .join(Person, Person.id == Petitioner.person_id)
        .where(Case.received_at >= since, Case.received_at < until)
        .group_by(root).having(count >= at_least).order_by(count.desc(), root).limit(limit)).all()
    return [(person_id, n) for person_id, n in rows]


def link_registered(rekey: bool = False, batch: int = 1000) -> int:
    """Link the petitioners registered before records existed (or by another key) to their person, in batches of
    one transaction each; returns how many rows were linked. `rekey`: the key changed -- every record's
    identifiers are hashed again from its cases' petitioners (the records and their merges stay)."""
    columns = {Person.phone_key: None, Person.email_key: None, Person.id_number_key: None}
    if rekey:
        with transaction():
            _update(update(Person).values(columns))
    done, last = 0, 0
    while True:
        with transaction():
            rows = db.session.execute(select(Petitioner.id, Petitioner.name, Petitioner.phone, Petitioner.email,
                                             Petitioner.id_number, Petitioner.person_id)
                                      .where(Petitioner.id > last, Petitioner.anonymous.is_(False),
                                             *(() if rekey else (Petitioner.person_id.is_(None),)))
                                      .order_by(Petitioner.id).limit(batch)).all()
            for row in rows:
                if row.person_id is not None:  # rekey: the record it has gets its identifiers back
                    keys = identity_keys(row.phone, row.email, row.id_number)
                    _fill_in(_root(row.person_id), keys, None, utcnow())
                    continue
                person_id = link_person(row.name, row.phone, row.email, row.id_number)
                if person_id is not None:
                    _update(update(Petitioner).where(Petitioner.id == row.id).values(person_id=person_id))
                    done += 1
        if not rows:
            return done
        last = rows[-1].id


def find_person(keys: dict[str, str]) -> int | None:
    """The live record the strongest identifier names (a merged record leads to the one that absorbed it)."""
    columns = {kind: getattr(Person, f"{kind}_key") for kind in KINDS}
    rows = db.session.execute(select(Person.id, *columns.values()).where(
        or_(*(columns[kind] == key for kind, key in keys.items())))).all()
    for kind in KINDS:
        for row in rows:
            if kind in keys and getattr(row, f"{kind}_key") == keys[kind]:
                return _root(row.id)
    return None


def _root(person_id: int) -> int:
    seen = set()
    while person_id not in seen:
        seen.add(person_id)
        into = db.session.scalar(select(Person.merged_into_id).where(Person.id == person_id))
        if into is None:
            return person_id
        person_id = into
    return person_id


def members_of(root_id: int) -> list[int]:
    """The record and every record merged into it, however deep."""
    members, frontier = [root_id], [root_id]
    while frontier:
        frontier = list(db.session.scalars(select(Person.id).where(Person.merged_into_id.in_(frontier))))
        members += frontier
    return members


def _fill_in(person_id: int, keys: dict[str, str], name: str | None, now: datetime) -> None:
    """The name last given and the time; an identifier the record lacks and no other live record holds."""
    values = {"last_seen_at": now, **({"name": name} if name else {})}
    _update(update(Person).where(Person.id == person_id).values(**values))
    for kind, key in keys.items():
        column = getattr(Person, f"{kind}_key")
        taken = select(Person.id).where(column == key, Person.merged_into_id.is_(None)).exists()
        try:
            with db.session.begin_nested():
                _update(update(Person).where(Person.id == person_id, column.is_(None), ~taken).values({column: key}))
        except IntegrityError:
            continue  # taken meanwhile by another record: this one stays without it


def _update(statement) -> None:
    db.session.execute(statement.execution_options(synchronize_session=False))
