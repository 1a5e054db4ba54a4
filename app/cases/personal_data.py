"""The petitioner as a user may see them, and the append-only log of every view of their unmasked data.

A view that shows the petitioner unmasked (access.sees_personal_data) writes one row — who, when, which case,
through the API or a page — in the same request; admins read the log of a case.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select

from app.extensions import db
from app.models import ACCESS_CHANNELS, Case, PersonalDataAccess, utcnow

from . import errors, queries
from .access import check_case_access, petitioner_view, sees_personal_data
from .people import Principal
from .sql import sql

_INSERT_ACCESS = insert(PersonalDataAccess.__table__)


def petitioner_for(user: Principal, case: Case, channel: str) -> dict[str, Any] | None:
    """The petitioner as `user` may see them; an unmasked view is logged (one INSERT, committed)."""
    assert channel in ACCESS_CHANNELS
    shown = petitioner_view(case, user)
    if shown is not None and sees_personal_data(user, case):
        sql(_INSERT_ACCESS, {"case_id": case.id, "at": utcnow(), "actor": user.username, "channel": channel})
        db.session.commit()
    return shown


def access_log(user: Principal, number: str) -> list[PersonalDataAccess]:
    """Who saw the petitioner of a case unmasked, oldest first (admins only)."""
    if not user.has_role("admin"):
        raise errors.ForbiddenError("only admins read the personal data access log")
    case = check_case_access(user, queries.case_by_number(number))
    return list(db.session.scalars(select(PersonalDataAccess).where(PersonalDataAccess.case_id == case.id)
                                   .order_by(PersonalDataAccess.id)))
