"""Finding what a request names — a case by its number or id, a task, a notice, an attachment's case — with one
NotFoundError for every service and route."""

from __future__ import annotations

from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Attachment, Case, Notice, Task

from . import errors
from .errors import T


def case_by_number(number: str) -> Case:
    case = db.session.scalar(select(Case).options(joinedload(Case.petitioner)).where(Case.number == number[:32]))
    if case is None:
        raise errors.NotFoundError(T('no case %(number)s', number=number))
    return case


def case_by_id(case_id: int) -> Case:
    """The case by its id, from the session's identity map when already loaded."""
    case = db.session.get(Case, case_id)
    if case is None:
        raise errors.NotFoundError(T('no case %(case_id)s', case_id=case_id))
    return case


def case_number_of(case_id: int) -> str:
    return case_by_id(case_id).number


def task_by_id(task_id: str) -> Task:
    task = db.session.get(Task, task_id) if isinstance(task_id, str) and len(task_id) <= 36 else None
    if task is None:
        raise errors.NotFoundError(T('no task %(task_id)s', task_id=task_id))
    return task


def notice_by_id(notice_id: int) -> Notice:
    notice = db.session.get(Notice, notice_id)
    if notice is None:
        raise errors.NotFoundError(T('no notice %(notice_id)s', notice_id=notice_id))
    return notice


# What the access policy needs of a target named in a URL, read in one small statement (the service loads the
# rest): a case's id, number, department and confidentiality; a task's id, case, queue and assignee.
_cases, _tasks = Case.__table__, Task.__table__
_CASE_REF = select(_cases.c.id, _cases.c.number, _cases.c.department_id, _cases.c.confidential)
_TASK_REF = select(_tasks.c.id, _tasks.c.case_id, _tasks.c.group, _tasks.c.assignee).where(_tasks.c.id == bindparam("id"))


def case_ref(number: str):
    """(id, number, department_id) of a case, or NotFoundError."""
    row = db.session.execute(_CASE_REF.where(_cases.c.number == bindparam("number")), {"number": number[:32]}).first()
    if row is None:
        raise errors.NotFoundError(T('no case %(number)s', number=number))
    return row


def task_ref(task_id: str):
    """(id, case_id, group, assignee) of a task, or NotFoundError."""
    row = db.session.execute(_TASK_REF, {"id": task_id}).first() if isinstance(task_id, str) and len(task_id) <= 36 else None
    if row is None:
        raise errors.NotFoundError(T('no task %(task_id)s', task_id=task_id))
    return row


def case_ref_of_attachment(attachment_id: int):
    """(id, number, department_id) of the case an attachment belongs to, or NotFoundError."""
    row = db.session.execute(_CASE_REF.join(Attachment.__table__, Attachment.__table__.c.case_id == _cases.c.id)
                             .where(Attachment.__table__.c.id == bindparam("id")), {"id": attachment_id}).first()
    if row is None:
        raise errors.NotFoundError(T('no attachment %(attachment_id)s', attachment_id=attachment_id))
    return row
