"""Registration: a typed appeal becomes a case with a number, and its category's process starts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy.dialects import postgresql, sqlite

from app.extensions import db
from app.models import CaseParty, Counter, Petitioner, title_bigrams, utcnow

from .. import errors, ledger
from ..errors import T
from ..people.petitioners import link_person
from ..reference import DepartmentRef, departments
from ..sql import sql
from ..taxonomy.dispatch import suggest_department
from ..taxonomy.trees import node_by_code
from ..transaction import transaction
from ..uow.scripting import start_data
from ..uow.versions import active_version, process_for_category
from ..uow.workflow import start_process, tell_petitioner
from .access_codes import hash_access_code, new_access_code
from .appeal import Appeal, Location

_counters = Counter.__table__
_INSERT_PETITIONER = Petitioner.__table__.insert()
_INSERT_PARTY = CaseParty.__table__.insert()


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
    department = department_of(appeal.department)
    where = classified(appeal)
    access_code = new_access_code()
    now = utcnow()
    received_at = appeal.received_at or now
    if received_at > now:
        raise errors.ValidationFailedError(T('received_at is in the future'), {"received_at": [T('must not be in the future')]})
    links = {"review_of": review.of_number, "review_level": review.level, "review_reason": review.reason} if review else {}
    with transaction():
        number = next_number(received_at)
        row = case_row(number, appeal, received_at, department, access_code, actor)
        row.update(where.columns)
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
        ), first_entries=[ledger.entry("case.registered", number=number, category=appeal.category,
                                       channel=appeal.channel, **where.codes, **links, **confidential(appeal))],
            access_code=access_code)
        insert_people(op.case.id, appeal)
        tell_petitioner(op)
    return Intake(number, appeal.category, op.case.status, received_at, op.case.due_at, access_code,
                  op.case.accept_by, op.case.answer_by)


@dataclass(frozen=True)
class Classified:
    columns: dict[str, Any]  # topic_id, area_id, suggested_department_id
    codes: dict[str, str]  # for the ledger: the topic's and the area's codes, when given


def confidential(appeal: Appeal) -> dict[str, bool]:
    """What the registration's ledger entry says of confidentiality (nothing when the case is not)."""
    return {"confidential": True} if appeal.confidential else {}


def classified(appeal: Appeal) -> Classified:
    """The appeal's topic and area (codes checked) and the department the dispatch table suggests for them."""
    topic = node_by_code("topic", appeal.topic, "topic")
    area = node_by_code("area", appeal.area, "area")
    suggestion = suggest_department(topic, area)
    return Classified({"topic_id": topic.id if topic else None, "area_id": area.id if area else None,
                       "suggested_department_id": suggestion.department.id if suggestion else None},
                      {k: v.code for k, v in (("topic", topic), ("area", area)) if v is not None})


def case_row(number: str, appeal: Appeal, received_at: datetime, department: DepartmentRef | None, access_code: str,
              actor: str) -> dict[str, Any]:
    """The case row of a new appeal (registration, and the appeals closed at once: repeats.py)."""
    location, now = appeal.location or Location(), utcnow()
    return {
        "number": number, "number_reversed": number[::-1],
        "category": appeal.category, "channel": appeal.channel, "title": appeal.title,
        "title_bigrams": title_bigrams(appeal.title),
        "description": appeal.description, "location_address": location.address,
        "location_lat": location.lat, "location_lon": location.lon,
        "department_id": department.id if department else None, "status": "registered", "received_at": received_at,
        "access_code_hash": hash_access_code(access_code), "created_by": actor, "created_at": now, "updated_at": now,
        "due_at": None, "due_unit": "calendar", "closed_at": None, "answer": None, "satisfaction": None,
        "satisfaction_comment": None, "satisfaction_source": None, "follow_up": None, "review_of_id": None,
        "accept_by": None, "answer_by": None,
        "review_level": None, "last_activity_at": now, "confidential": appeal.confidential,
    }


def insert_people(case_id: int, appeal: Appeal) -> None:
    """The case's petitioner (linked to their person) and a dispute's parties."""
    person = appeal.petitioner
    # the person across cases (an anonymous appeal names nobody, whatever it carries)
    person_id = None if person.anonymous else link_person(person.name, person.phone, person.email, person.id_number)
    sql(_INSERT_PETITIONER, {
        "case_id": case_id, "name": person.name or "", "phone": person.phone, "email": person.email,
        "address": person.address, "anonymous": person.anonymous, "notify_by": person.notify_by,
        "locale": person.language, "id_number": person.id_number, "person_id": person_id,
    })
    if appeal.parties:
        sql(_INSERT_PARTY, [{"case_id": case_id, "name": p.name, "role": p.role, "phone": p.phone} for p in appeal.parties])


def department_of(code: str | None) -> DepartmentRef | None:
    """The department a code names (None for none), or a ValidationFailedError on `department`."""
    if not code:
        return None
    department = departments().get(code.strip().upper())
    if department is None:
        raise errors.ValidationFailedError(T('unknown department'), {"department": [T('no department %(code)s', code=code)]})
    return department


def next_number(received_at: datetime) -> str:
    """The date of receipt (local) and the next number of that day: `YYYYMMDD` + six digits.

    One statement increments the day's counter row (inserting it for the day's first case); the row stays locked
    until the intake commits, so numbers follow the order in which intakes commit across every worker and host,
    and an intake that rolls back gives its number back (no gap). The price is that intakes of one day of receipt
    wait for each other's commit: a few milliseconds each.
    """
    day = received_at.astimezone(ZoneInfo(current_app.config["MINYI_TIMEZONE"])).strftime("%Y%m%d")
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    value = db.session.execute(
        dialect.insert(_counters).values(name=f"case:{day}", value=1)
        .on_conflict_do_update(index_elements=["name"], set_={"value": _counters.c.value + 1})
        .returning(_counters.c.value)).scalar_one()
    if value > MAX_PER_DAY:
        raise errors.ConflictError(T('more than %(n)s cases received on %(day)s', n=MAX_PER_DAY, day=day))
    return f"{day}{value:06d}"


MAX_PER_DAY = 999_999


def forget_reserved_numbers() -> None:
    """Nothing is reserved any more (numbers come from the day's counter row in the intake's transaction); kept for
    callers that reset state between tests."""
