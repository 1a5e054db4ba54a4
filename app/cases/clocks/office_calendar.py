"""The organisation's own calendar days (overrides of the official calendar) and deadlines computed with them
(the `minyi calendar` commands). The calendar itself, as every clock reads it, is reference.work_calendar()."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from app.calendar import Deadline, calendar_days_after, working_days_after
from app.calendar.helpers import MAX_DAYS
from app.extensions import db
from app.models import CalendarOverride

from .. import reference
from ..errors import ConflictError, NotFoundError, T, ValidationFailedError
from ..reference import work_calendar, zone
from ..transaction import transaction


def deadline(start: datetime, working_days: int | None = None, days: int | None = None) -> Deadline:
    """The deadline of a period from `start` (naive = local time) in working days or calendar days."""
    if (working_days is None) == (days is None):
        raise ValidationFailedError(T('give working days or days'), {"period": [T('exactly one of working days, days')]})
    count = working_days if working_days is not None else days
    if count < 0 or count > MAX_DAYS:
        raise ValidationFailedError(T('period out of range'), {"period": [T("between 0 and %(most)s", most=MAX_DAYS)]})
    if start.tzinfo is None:
        start = start.replace(tzinfo=zone())
    rule = working_days_after if working_days is not None else calendar_days_after
    return rule(start, count, zone(), work_calendar())


def add_override(day: date, working: bool, note: str, actor: str | None = None) -> CalendarOverride:
    if db.session.scalar(select(CalendarOverride).where(CalendarOverride.day == day)):
        raise ConflictError(T('%(day)s has an override already; remove it first', day=day))
    with transaction(on_duplicate=f"{day} has an override already; remove it first"):
        override = CalendarOverride(day=day, working=working, note=note.strip(), created_by=actor)
        db.session.add(override)
    reference.forget()
    return override


def remove_override(day: date) -> None:
    override = db.session.scalar(select(CalendarOverride).where(CalendarOverride.day == day))
    if override is None:
        raise NotFoundError(T('no override on %(day)s', day=day))
    with transaction():
        db.session.delete(override)
    reference.forget()


def overrides() -> list[CalendarOverride]:
    return list(db.session.scalars(select(CalendarOverride).order_by(CalendarOverride.day)))
