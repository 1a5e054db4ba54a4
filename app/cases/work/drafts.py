"""Task drafts: a user's unfinished form values, kept on the server per task and user until the task is completed."""

from __future__ import annotations

from typing import Any

from app.extensions import db
from app.models import OPEN_STATES, TaskDraft, utcnow

from .. import errors
from ..errors import T
from ..policy import Principal
from ..transaction import transaction
from .tasks import task_to_work_on


def save_draft(user: Principal, task_id: str, data: dict[str, Any]) -> TaskDraft:
    """Keep the form values as they are (no validation: it is a draft) for an open task the user may complete."""
    task = task_to_work_on(user, task_id)
    if task.state not in OPEN_STATES:
        raise errors.TaskNotReadyError(T('the task is %(state)s', state=task.state))
    if not isinstance(data, dict):
        raise errors.ValidationFailedError(T('a draft is an object of form fields'), {"_schema": [T('an object')]})
    with transaction():
        draft = db.session.get(TaskDraft, (task.id, user.username))
        if draft is None:
            draft = TaskDraft(task_id=task.id, username=user.username, data=data)
            db.session.add(draft)
        else:
            draft.data, draft.saved_at = data, utcnow()
    return draft


def task_draft(user: Principal, task_id: str) -> TaskDraft | None:
    """The user's draft of a task they may work on, or None."""
    task = task_to_work_on(user, task_id)
    return db.session.get(TaskDraft, (task.id, user.username))

