"""Finding what a request names — a case by its number or id, a task, a notice, an attachment's case — with one
NotFoundError for every service and route."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Attachment, Case, Notice, Task

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


def task_by_id(task_id: str) -> Task:
    task = db.session.get(Task, task_id) if isinstance(task_id, str) and len(task_id) <= 36 else None
    if task is None:
        raise errors.NotFoundError(f"no task {task_id}")
    return task


def notice_by_id(notice_id: int) -> Notice:
    notice = db.session.get(Notice, notice_id)
    if notice is None:
        raise errors.NotFoundError(f"no notice {notice_id}")
    return notice


def case_of_attachment(attachment_id: int) -> Case:
    """The case an attachment belongs to."""
    case_id = db.session.scalar(select(Attachment.case_id).where(Attachment.id == attachment_id))
    if case_id is None:
        raise errors.NotFoundError(f"no attachment {attachment_id}")
    return case_by_id(case_id)
