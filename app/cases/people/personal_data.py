"""The petitioner as a user may see them, and the append-only log of every view of their unmasked data.

A view that shows the petitioner unmasked (policy.sees_personal_data) writes one row — who, when, which case,
through the API or a page — in the same request; so does every request naming a confidential case (what:
"confidential", written by app/web/access.py); admins read the log of a case.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select

from app.extensions import db
from app.models import ACCESS_CHANNELS, Case, PersonalDataAccess, utcnow

from .. import policy, records
from ..policy import Principal, sees_personal_data
from ..sql import sql
from ..transaction import transaction

_INSERT_ACCESS = insert(PersonalDataAccess.__table__)


def petitioner_for(user: Principal, case: Case, channel: str) -> dict[str, Any] | None:
    """The petitioner as `user` may see them; an unmasked view is logged (one INSERT, committed)."""
    assert channel in ACCESS_CHANNELS
    shown = petitioner_view(case, user)
    if shown is not None and sees_personal_data(user, case):
        with transaction():
            sql(_INSERT_ACCESS, {"case_id": case.id, "at": utcnow(), "actor": user.username, "channel": channel,
                                 "what": "petitioner"})
    return shown


def log_confidential_access(user: Principal, case_id: int, channel: str) -> None:
    """A request naming a confidential case: one row in the access log (committed at once, whatever follows)."""
    assert channel in ACCESS_CHANNELS
    with transaction():
        sql(_INSERT_ACCESS, {"case_id": case_id, "at": utcnow(), "actor": user.username, "channel": channel,
                             "what": "confidential"})


def access_log(user: Principal, number: str) -> list[PersonalDataAccess]:
    """Who saw the petitioner of a case unmasked, oldest first (admins only)."""
    case = records.case_by_number(number)
    policy.require(user, "case.access_log", case)
    return list(db.session.scalars(select(PersonalDataAccess).where(PersonalDataAccess.case_id == case.id)
                                   .order_by(PersonalDataAccess.id)))


def person_name_for(user: Principal, name: str | None, case=None) -> str | None:
    """A petitioner's name as `user` may read it (unmasked as on `case`; across cases, masked for department
    staff): the one rule for a person's name on the API and the pages."""
    return name if sees_personal_data(user, case) else mask_name(name)


def mask_name(name: str | None) -> str | None:
    if not name:
        return name
    return name[0] + "*" * max(1, len(name) - 1)


def mask_phone(phone: str | None) -> str | None:
    if not phone:
        return phone
    digits = phone.strip()
    return digits[:3] + "*" * max(0, len(digits) - 7) + digits[-4:] if len(digits) > 7 else "*" * len(digits)


def petitioner_view(case: Case, user: Principal) -> dict | None:
    """The petitioner as this user may see them: in full, masked, or anonymous."""
    p = case.petitioner
    if p is None:
        return None
    full = sees_personal_data(user, case)
    if p.anonymous:
        return {"anonymous": True, "name": p.name, "phone": p.phone, "email": p.email, "address": p.address} if full else {
            "anonymous": True, "name": None, "phone": None, "email": None, "address": None}
    if full:
        return {"anonymous": False, "name": p.name, "phone": p.phone, "email": p.email, "address": p.address,
                "id_number": p.id_number, "person_id": p.person_id}
    return {"anonymous": False, "name": mask_name(p.name), "phone": mask_phone(p.phone), "email": None, "address": None,
            "id_number": None, "person_id": p.person_id, "masked": True}
