"""Supervision notices (督办单): listing, issuing by hand, replying.

Breaches and escalations raise them automatically (sla.py); supervisors issue them by hand on the
same record. A notice's state is derived, never stored: `answered` once it has a reply; `closed`
when its task is no longer open or its case is final; else `open` — and `overdue` while open past
its reply-by date.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import and_, bindparam, func, not_, or_, select

from app.calendar import working_days_after
from app.extensions import db
from app.models import FINAL_STATUSES, OPEN_STATES, Case, Notice, Task, utcnow

from .. import errors, ledger, policy, records
from ..errors import T
from ..lists.queries import Page
from ..notifications import notify
from ..policy import Principal, check_supervision_scope
from ..reference import work_calendar, zone
from ..sql import sql
from ..transaction import transaction

NOTICE_STATES = ("open", "overdue", "answered", "closed")
LEADERSHIP = "leader"
ESCALATION_REPLY_WORKING_DAYS = 3


def _closed_condition():
    task_open = select(Task.id).where(Task.id == Notice.task_id, Task.state.in_(OPEN_STATES)).exists()
    return or_(Case.status.in_(sorted(FINAL_STATUSES)), and_(Notice.task_id.is_not(None), not_(task_open)))


def notice_state(notice: Notice, task_open: bool, case_final: bool, now: datetime) -> str:
    if notice.replied_at is not None:
        return "answered"
    if case_final or (notice.task_id is not None and not task_open):
        return "closed"
    return "overdue" if notice.reply_by < now else "open"


def notices_for(user: Principal, state: str | None = None, page: int = 1, per_page: int = 50) -> Page:
    """Notices the user may see (overseers: all; others: those addressed to them or their groups)."""
    now = utcnow()
    stmt = select(Notice, Case.number, Case.status).join(Case, Case.id == Notice.case_id)
    if not policy.may(user, "console.view"):  # overseers see every notice; others those addressed to them
        stmt = stmt.where(or_(Notice.addressee_user == user.username, Notice.addressee_group.in_(sorted(user.groups))))
    if not policy.cleared(user):
        stmt = stmt.where(policy.NOT_CONFIDENTIAL)
    closed = _closed_condition()
    if state == "answered":
        stmt = stmt.where(Notice.replied_at.is_not(None))
    elif state == "closed":
        stmt = stmt.where(Notice.replied_at.is_(None), closed)
    elif state in ("open", "overdue"):
        stmt = stmt.where(Notice.replied_at.is_(None), not_(closed))
        if state == "overdue":
            stmt = stmt.where(Notice.reply_by < now)
    elif state is not None:
        raise errors.ValidationFailedError(T('bad state'), {"state": [T('one of %(value)s', value=', '.join(NOTICE_STATES))]})
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    rows = db.session.execute(stmt.order_by(Notice.reply_by, Notice.id).offset((page - 1) * per_page).limit(per_page)).all()
    open_tasks = _open_task_ids([n.task_id for n, _, _ in rows if n.task_id])
    items = [(n, number, notice_state(n, n.task_id in open_tasks, status in FINAL_STATUSES, now)) for n, number, status in rows]
    return Page(items, total or 0)


def _open_task_ids(ids: list[str]) -> set[str]:
    if not ids:
        return set()
    return set(db.session.scalars(select(Task.id).where(Task.id.in_(ids), Task.state.in_(OPEN_STATES))))


def issue_notice(user: Principal, case_number: str, task_id: str | None, message: str, reply_by: datetime) -> Notice:
    """A supervisor's notice by hand, to the task's group and assignee (or the case's department)."""
    policy.require(user, "notice.issue")
    if not message or not message.strip():
        raise errors.ValidationFailedError(T('a message is required'), {"message": [T('must not be blank')]})
    if reply_by <= utcnow():
        raise errors.ValidationFailedError(T('the reply-by date is past'), {"reply_by": [T('must be in the future')]})
    case = records.case_by_number(str(case_number))
    if case.status in FINAL_STATUSES:
        raise errors.ConflictError(T('the case is %(status)s', status=case.status))
    group, assignee = _addressee(case, task_id)
    check_supervision_scope(user, case.department_id, group)
    with transaction():
        notice = Notice(case_id=case.id, task_id=task_id, kind="manual", addressee_group=group, addressee_user=assignee,
                        message=message.strip(), reply_by=reply_by, created_by=user.username, created_at=utcnow())
        db.session.add(notice)
        db.session.flush()
        ledger.record(case.id, user.username, "notice.issued", notice=notice.id, task=task_id, to=group,
                      reply_by=reply_by.isoformat(), message=notice.message)
        notify([{"case_id": case.id, "task_id": task_id, "recipient_group": group, "recipient_user": assignee,
                 "kind": "notice", "message": f"{case.number}: {notice.message}", "dedupe_key": f"notice:{notice.id}",
                 "created_at": utcnow()}])
    return notice


def escalate_case(user: Principal, case_number: str, reason: str) -> Notice:
    """A supervisor hands a case up to leadership: an escalation notice to `leader`, reply in 3 working days."""
    if not reason or not reason.strip():
        raise errors.ValidationFailedError(T('a reason is required'), {"reason": [T('must not be blank')]})
    case = records.case_by_number(str(case_number))
    policy.require(user, "case.escalate", case)
    if case.status in FINAL_STATUSES:
        raise errors.ConflictError(T('the case is %(status)s', status=case.status))
    now = utcnow()
    reply_by = working_days_after(now, ESCALATION_REPLY_WORKING_DAYS, zone(), work_calendar()).at.astimezone(UTC)
    with transaction():
        notice = Notice(case_id=case.id, task_id=None, kind="escalation", addressee_group=LEADERSHIP, addressee_user=None,
                        message=reason.strip(), reply_by=reply_by, created_by=user.username, created_at=now)
        db.session.add(notice)
        db.session.flush()
        ledger.record(case.id, user.username, "case.escalated", notice=notice.id, reason=notice.message,
                      reply_by=reply_by.isoformat())
        notify([{"case_id": case.id, "task_id": None, "recipient_group": LEADERSHIP, "recipient_user": None,
                 "kind": "escalation", "message": f"{case.number}: {notice.message}",
                 "dedupe_key": f"escalation:notice:{notice.id}", "created_at": now}])
    return notice


def _addressee(case: Case, task_id: str | None) -> tuple[str | None, str | None]:
    if task_id is None:
        code = case.department.code if case.department else None
        return (f"handler@{code}" if code else "intake"), None
    task = db.session.get(Task, task_id) if len(task_id) <= 36 else None
    if task is None or task.case_id != case.id:
        raise errors.ValidationFailedError(
            T('unknown task'), {"task_id": [T('no task %(task_id)s in case %(number)s', task_id=task_id, number=case.number)]})
    if task.state not in OPEN_STATES:
        raise errors.ConflictError(T('the task is %(state)s', state=task.state))
    return task.group, task.assignee


def reply_to_notice(user: Principal, notice_id: int, reply: str) -> Notice:
    """The addressee answers once; a second reply is a conflict."""
    notice = db.session.get(Notice, notice_id)
    if notice is None:
        raise errors.NotFoundError(T('no notice %(notice_id)s', notice_id=notice_id))
    policy.require(user, "notice.reply", notice)
    if not reply or not reply.strip():
        raise errors.ValidationFailedError(T('a reply is required'), {"reply": [T('must not be blank')]})
    now = utcnow()
    with transaction():
        answered = sql(_ANSWER, {"b_id": notice_id, "reply": reply.strip(), "replied_by": user.username,
                                 "replied_at": now}).rowcount == 1
        if not answered:
            raise errors.ConflictError(T('the notice has been answered already'))
        ledger.record(notice.case_id, user.username, "notice.answered", notice=notice_id, reply=reply.strip())
    db.session.refresh(notice)
    return notice


_notices = Notice.__table__
_ANSWER = _notices.update().where(_notices.c.id == bindparam("b_id"), _notices.c.replied_at.is_(None)).values(
    reply=bindparam("reply"), replied_by=bindparam("replied_by"), replied_at=bindparam("replied_at"))


def case_notices(case: Case) -> list[tuple[Notice, str]]:
    """A case's notices, oldest first, with their states."""
    notices = list(db.session.scalars(select(Notice).where(Notice.case_id == case.id).order_by(Notice.id)))
    open_tasks, now, final = _open_task_ids([n.task_id for n in notices if n.task_id]), utcnow(), case.status in FINAL_STATUSES
    return [(n, notice_state(n, n.task_id in open_tasks, final, now)) for n in notices]
