"""Intake: registering an appeal as a case and starting its process."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import Case, CaseParty, Counter, Department, Petitioner, utcnow

from . import errors
from .processes import latest_version
from .workflow import save, start_process

# Which process a category starts; categories without their own process yet use the complaint flow.
PROCESS_FOR_CATEGORY = {"complaint": "complaint"}
DEFAULT_PROCESS = "complaint"
ACCESS_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


@dataclass(frozen=True)
class Intake:
    case: Case
    access_code: str


def register_case(payload: dict[str, Any], actor: str) -> Intake:
    """Register a validated appeal, start its process and return it with its one-time access code."""
    version = latest_version(PROCESS_FOR_CATEGORY.get(payload["category"], DEFAULT_PROCESS))
    department = _department(payload.get("department"))
    access_code = "".join(secrets.choice(ACCESS_CODE_ALPHABET) for _ in range(8))
    received_at = payload.get("received_at") or utcnow()
    if received_at > utcnow():
        raise errors.ValidationFailedError("received_at is in the future", {"received_at": ["must not be in the future"]})
    location = payload.get("location") or {}
    case = Case(
        number=_next_number(received_at),
        category=payload["category"],
        channel=payload["channel"],
        title=payload["title"],
        description=payload["description"],
        location_address=location.get("address"),
        location_lat=location.get("lat"),
        location_lon=location.get("lon"),
        department=department,
        status="registered",
        received_at=received_at,
        access_code_hash=hash_access_code(access_code),
        created_by=actor,
    )
    person = payload["petitioner"]
    case.petitioner = Petitioner(
        name=person["name"],
        phone=person.get("phone"),
        email=person.get("email"),
        address=person.get("address"),
        anonymous=bool(person.get("anonymous", False)),
    )
    case.parties = [CaseParty(name=p["name"], role=p["role"], phone=p.get("phone")) for p in payload.get("parties") or []]
    db.session.add(case)
    op = start_process(
        case,
        version,
        actor,
        {
            "case_number": case.number,
            "category": case.category,
            "channel": case.channel,
            "received_at": received_at.isoformat(),
            "department": department.code if department else None,
            "major": False,
            "rehandled": False,
        },
    )
    op.ledger.insert(0, {"action": "case.registered",
                         "details": {"number": case.number, "category": case.category, "channel": case.channel}})
    try:
        save(op)
        db.session.commit()
    except IntegrityError as exc:  # a number race cannot happen with the counter, but never lose the reason
        db.session.rollback()
        raise errors.ConflictError("the case could not be registered; try again") from exc
    except BaseException:
        db.session.rollback()
        raise
    return Intake(case, access_code)


def hash_access_code(code: str) -> str:
    return hashlib.sha256(code.strip().upper().encode("ascii", "ignore")).hexdigest()


def _department(code: str | None) -> Department | None:
    if not code:
        return None
    department = db.session.scalar(select(Department).where(Department.code == code.strip().upper()))
    if department is None:
        raise errors.ValidationFailedError("unknown department", {"department": [f"no department {code}"]})
    return department


def _next_number(received_at: datetime) -> str:
    """Date of receipt (local) + a global sequence: unique under concurrency, one UPDATE."""
    value = db.session.scalar(
        update(Counter).where(Counter.name == "case").values(value=Counter.value + 1).returning(Counter.value)
    )
    if value is None:
        db.session.add(Counter(name="case", value=1))
        db.session.flush()
        value = 1
    local = received_at.astimezone(ZoneInfo(current_app.config["MINYI_TIMEZONE"]))
    return f"{local:%Y%m%d}{value:06d}"
