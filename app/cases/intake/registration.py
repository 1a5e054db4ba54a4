"""Intake: registering an appeal as a case and starting its process."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import bindparam

from app.extensions import db
from app.models import CaseParty, Counter, Petitioner, utcnow

from .. import errors, ledger
from ..reference import DepartmentRef, departments
from ..sql import sql
from ..uow.scripting import start_data
from ..uow.versions import active_version, process_for_category
from ..uow.workflow import start_process
from .access_codes import hash_access_code, new_access_code

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


@dataclass(frozen=True)
class ReviewLink:
    """What a review (复查) or re-review (复核) case links to."""

    of_id: int
    of_number: str
    level: str  # 'review' or 're-review'
    reason: str


def register_case(payload: dict[str, Any], actor: str) -> Intake:
    """Register a validated appeal, start its category's process and return it with its one-time access code."""
    return open_case(payload, actor, process_for_category(payload["category"]))


def open_case(payload: dict[str, Any], actor: str, process_key: str, review: ReviewLink | None = None,
              before_commit: Callable[[str], None] | None = None) -> Intake:
    """Insert a case, start `process_key` on it and commit; a review case carries its link.

    `before_commit(number)` runs inside the same transaction (e.g. the reviewed case's ledger entry).
    """
    version = active_version(process_key)
    department = _department(payload.get("department"))
    access_code = new_access_code()
    now = utcnow()
    received_at = payload.get("received_at") or now
    if received_at > now:
        raise errors.ValidationFailedError("received_at is in the future", {"received_at": ["must not be in the future"]})
    links = {"review_of": review.of_number, "review_level": review.level, "review_reason": review.reason} if review else {}
    try:
        number = _next_number(received_at)
        row = _case_row(number, payload, received_at, department, access_code, actor)
        if review:
            row.update(review_of_id=review.of_id, review_level=review.level)
        op = start_process(row, version, actor, start_data(
            case_number=number,
            category=payload["category"],
            channel=payload["channel"],
            received_at=received_at.isoformat(),
            department=department.code if department else None,
            parties=[{"name": p["name"], "role": p["role"]} for p in payload.get("parties") or []],
            **links,
        ), first_entries=[ledger.entry("case.registered", number=number, number_reversed=number[::-1],
                                       category=payload["category"], channel=payload["channel"], **links)])
        _insert_people(op.case.id, payload)
        if before_commit is not None:
            before_commit(number)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return Intake(number, payload["category"], op.case.status, received_at, op.case.due_at, access_code)


def _case_row(number, payload, received_at, department, access_code, actor) -> dict[str, Any]:
    location, now = payload.get("location") or {}, utcnow()
    return {
        "number": number, "number_reversed": number[::-1],
        "category": payload["category"], "channel": payload["channel"], "title": payload["title"],
        "description": payload["description"], "location_address": location.get("address"),
        "location_lat": location.get("lat"), "location_lon": location.get("lon"),
        "department_id": department.id if department else None, "status": "registered", "received_at": received_at,
        "access_code_hash": hash_access_code(access_code), "created_by": actor, "created_at": now, "updated_at": now,
        "due_at": None, "due_unit": "calendar", "closed_at": None, "answer": None, "satisfaction": None,
        "satisfaction_comment": None, "review_of_id": None, "review_level": None, "last_activity_at": now,
    }


def _insert_people(case_id: int, payload: dict[str, Any]) -> None:
    person = payload["petitioner"]
    sql(_INSERT_PETITIONER, {
        "case_id": case_id, "name": person.get("name") or "", "phone": person.get("phone"), "email": person.get("email"),
        "address": person.get("address"), "anonymous": bool(person.get("anonymous", False)),
    })
    parties = payload.get("parties") or []
    if parties:
        sql(_INSERT_PARTY, [{"case_id": case_id, "name": p["name"], "role": p["role"], "phone": p.get("phone")} for p in parties])


def _department(code: str | None) -> DepartmentRef | None:
    if not code:
        return None
    department = departments().get(code.strip().upper())
    if department is None:
        raise errors.ValidationFailedError("unknown department", {"department": [f"no department {code}"]})
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
                raise errors.ConflictError("the case-number counter is missing; run `minyi db upgrade`")
        return value


_sequence = _Sequence()
forget_reserved_numbers = _sequence.forget
