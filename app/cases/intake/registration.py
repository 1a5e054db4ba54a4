"""Registration: a typed appeal becomes a case with a number, and its category's process starts."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import bindparam

from app.extensions import db
from app.models import CaseParty, Counter, Petitioner, utcnow

from .. import errors, ledger
from ..errors import T
from ..reference import DepartmentRef, departments
from ..sql import sql
from ..transaction import transaction
from ..uow.scripting import start_data
from ..uow.versions import active_version, process_for_category
from ..uow.workflow import start_process
from .access_codes import hash_access_code, new_access_code
from .appeal import Appeal, Location

_counters = Counter.__table__
_INSERT_PETITIONER = Petitioner.__table__.insert()
_INSERT_PARTY = CaseParty.__table__.insert()
_RESERVE_BLOCK = (
    _counters.update()
    .where(_counters.c.name == "case")
    .values(value=_counters.c.value + bindparam("block"))
    .returning(_counters.c.value)
)


@dataclass(frozen=True)
class Intake:
    number: str
    category: str
    status: str
    received_at: datetime
    due_at: datetime | None
    access_code: str
    accept_by: datetime | None = None  # the dates the petitioner is told (the process sets them)
    answer_by: datetime | None = None


@dataclass(frozen=True)
class ReviewLink:
    """What a review (复查) or re-review (复核) case links to."""

    of_id: int
    of_number: str
    level: str  # 'review' or 're-review'
    reason: str


def register_case(appeal: Appeal, actor: str) -> Intake:
    """Register a validated appeal (built by any channel with appeal.parse_appeal), start its category's process
    and return it with its one-time access code."""
    return open_case(appeal, actor, process_for_category(appeal.category))


def open_case(appeal: Appeal, actor: str, process_key: str, review: ReviewLink | None = None) -> Intake:
    """Insert a case, start `process_key` on it and commit (or join the caller's transaction: a review notes
    itself on the reviewed case in the same one); a review case carries its link."""
    version = active_version(process_key)
    department = _department(appeal.department)
    access_code = new_access_code()
    now = utcnow()
    received_at = appeal.received_at or now
    if received_at > now:
        raise errors.ValidationFailedError(T('received_at is in the future'), {"received_at": [T('must not be in the future')]})
    links = {"review_of": review.of_number, "review_level": review.level, "review_reason": review.reason} if review else {}
    with transaction():
        number = _next_number(received_at)
        row = _case_row(number, appeal, received_at, department, access_code, actor)
        if review:
            row.update(review_of_id=review.of_id, review_level=review.level)
        op = start_process(row, version, actor, start_data(
            case_number=number,
            category=appeal.category,
            channel=appeal.channel,
            received_at=received_at.isoformat(),
            department=department.code if department else None,
            parties=[{"name": p.name, "role": p.role} for p in appeal.parties],
            **links,
        ), first_entries=[ledger.entry("case.registered", number=number, number_reversed=number[::-1],
                                       category=appeal.category, channel=appeal.channel, **links)])
        _insert_people(op.case.id, appeal)
    return Intake(number, appeal.category, op.case.status, received_at, op.case.due_at, access_code,
                  op.case.accept_by, op.case.answer_by)


def _case_row(number: str, appeal: Appeal, received_at: datetime, department: DepartmentRef | None, access_code: str,
              actor: str) -> dict[str, Any]:
    location, now = appeal.location or Location(), utcnow()
    return {
        "number": number, "number_reversed": number[::-1],
        "category": appeal.category, "channel": appeal.channel, "title": appeal.title,
        "description": appeal.description, "location_address": location.address,
        "location_lat": location.lat, "location_lon": location.lon,
        "department_id": department.id if department else None, "status": "registered", "received_at": received_at,
        "access_code_hash": hash_access_code(access_code), "created_by": actor, "created_at": now, "updated_at": now,
        "due_at": None, "due_unit": "calendar", "closed_at": None, "answer": None, "satisfaction": None,
        "satisfaction_comment": None, "satisfaction_source": None, "follow_up": None, "review_of_id": None,
        "accept_by": None, "answer_by": None,
        "review_level": None, "last_activity_at": now,
    }


def _insert_people(case_id: int, appeal: Appeal) -> None:
    person = appeal.petitioner
    sql(_INSERT_PETITIONER, {
        "case_id": case_id, "name": person.name or "", "phone": person.phone, "email": person.email,
        "address": person.address, "anonymous": person.anonymous,
    })
    if appeal.parties:
        sql(_INSERT_PARTY, [{"case_id": case_id, "name": p.name, "role": p.role, "phone": p.phone} for p in appeal.parties])


def _department(code: str | None) -> DepartmentRef | None:
    if not code:
        return None
    department = departments().get(code.strip().upper())
    if department is None:
        raise errors.ValidationFailedError(T('unknown department'), {"department": [T('no department %(code)s', code=code)]})
    return department


def _next_number(received_at: datetime) -> str:
    """Date of receipt (local) + a global sequence number, unique under concurrency."""
    local = received_at.astimezone(ZoneInfo(current_app.config["MINYI_TIMEZONE"]))
    return f"{local:%Y%m%d}{_sequence.next():06d}"


class _Sequence:
    """Hands out case numbers from blocks reserved in the counter row (hi/lo).

    A block is reserved in its own committed transaction, so a rolled-back intake never
    returns numbers that another process could also get; the price is gaps after a restart.
    """

    BLOCK = 10

    def __init__(self):
        self._lock = threading.Lock()
        self._blocks: dict[str, tuple[int, int]] = {}  # database URL -> (next, last)

    def next(self) -> int:
        key = str(db.engine.url)
        with self._lock:
            nxt, last = self._blocks.get(key, (1, 0))
            if nxt > last:
                last = self._reserve()
                nxt = last - self.BLOCK + 1
            self._blocks[key] = (nxt + 1, last)
            return nxt

    def forget(self) -> None:
        with self._lock:
            self._blocks.clear()

    def _reserve(self) -> int:
        with db.engine.begin() as connection:
            value = connection.execute(_RESERVE_BLOCK, {"block": self.BLOCK}).scalar()
            if value is None:
                raise errors.ConflictError(T('the case-number counter is missing; run `minyi db upgrade`'))
        return value


_sequence = _Sequence()
forget_reserved_numbers = _sequence.forget
