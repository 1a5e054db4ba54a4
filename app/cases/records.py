"""Finding a case by its number or id: one lookup and one NotFoundError for every service."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Case

from . import errors


def case_by_number(number: str) -> Case:
    case = db.session.scalar(select(Case).options(joinedload(Case.petitioner)).where(Case.number == number[:32]))
    if case is None:
        raise errors.NotFoundError(f"no case {number}")
    return case


def case_by_id(case_id: int) -> Case:
    """The case by its id, from the session's identity map when already loaded."""
    case = db.session.get(Case, case_id)
    if case is None:
        raise errors.NotFoundError(f"no case {case_id}")
    return case


def case_number_of(case_id: int) -> str:
    return case_by_id(case_id).number
