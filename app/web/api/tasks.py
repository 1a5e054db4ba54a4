"""Tasks: the inbox, claiming, completing, assigning."""

from __future__ import annotations

from flask import jsonify, request

from app.cases import records
from app.cases.errors import NotFoundError
from app.cases.lists import queries
from app.cases.procedures.bundles import form_for_task
from app.cases.work.assignment import assign_tasks
from app.cases.work.drafts import save_draft, task_draft
from app.cases.work.tasks import claim_task, complete_task, get_task_for, offered_to, release_task
from app.cases.work.workspace import form_values

from . import bp, present
from .auth import current_user, require
from .io import MalformedError, json_body, load_args, load_body
from .outputs import DraftOut
from .schemas import AssignIn, BulkAssignIn, TaskListArgs


def _locale() -> str:
    return request.accept_languages.best_match(["zh", "en"]) or "zh"

# Schema instances are reusable; building one per request costs more than the load.
_ASSIGN_IN = AssignIn()
_BULK_ASSIGN_IN = BulkAssignIn()
_TASK_LIST_ARGS = TaskListArgs()
_DRAFT_OUT = DraftOut()


@bp.get("/tasks")
@require("task.list")
def list_tasks():
    page = queries.tasks_for(current_user(), **load_args(_TASK_LIST_ARGS))
    body = {"items": [present.task(t, number) for t, number, _ in page.items], "total": page.total}
    if page.next:  # total stops counting at 1,001; the cursor reads on in index order however long the queue
        body["next"] = page.next
    return jsonify(body)


@bp.get("/tasks/<task_id>")
@require("task.view", "task_id")
def get_task(task_id: str):
    task = get_task_for(current_user(), task_id)
    case = records.case_by_id(task.case_id)
    body = present.task(task, case.number)
    body["case"] = present.case_summary(case)
    form = form_for_task(task)
    body["form"] = form.describe(_locale()) if form else {"id": None, "fields": []}
    body["values"] = form_values(task, form)  # what the case's data holds for the form's fields; left out, they stay
    body["offered_to"] = [username for username, _name in offered_to(task.id)]
    return jsonify(body)


@bp.post("/tasks/<task_id>/claim")
@require("task.work", "task_id")
def claim(task_id: str):
    task = claim_task(current_user(), task_id)
    return jsonify(present.task(task, records.case_number_of(task.case_id)))


@bp.post("/tasks/<task_id>/release")
@require("task.work", "task_id")
def release(task_id: str):
    task = release_task(current_user(), task_id)
    return jsonify(present.task(task, records.case_number_of(task.case_id)))


@bp.post("/tasks/<task_id>/complete")
@require("task.work", "task_id")
def complete(task_id: str):
    data = json_body(allow_empty=True)
    _task, case, next_tasks = complete_task(current_user(), task_id, data)
    return jsonify(
        {
            "case": {"number": case.number, "status": case.status},
            "next_tasks": [present.task(t, case.number) for t in next_tasks],
        }
    )


@bp.post("/tasks/<task_id>/assign")
@require("task.assign", "task_id")
def assign(task_id: str):
    body = load_body(_ASSIGN_IN)
    (task,) = assign_tasks(current_user(), [task_id], body["user"], body["group"], body["reason"])
    return jsonify(present.task(task, records.case_number_of(task.case_id)))


@bp.post("/tasks/assign")
@require("task.assign")
def assign_many():
    body = load_body(_BULK_ASSIGN_IN)
    tasks = assign_tasks(current_user(), body["ids"], body["user"], body["group"], body["reason"])
    return jsonify({"items": [present.task(t, records.case_number_of(t.case_id)) for t in tasks], "total": len(tasks)})


@bp.put("/tasks/<task_id>/draft")
@require("task.work", "task_id")
def put_draft(task_id: str):
    data = json_body(allow_empty=True)
    if not isinstance(data, dict):
        raise MalformedError("the body must be a JSON object of form fields")
    return jsonify(_DRAFT_OUT.dump(save_draft(current_user(), task_id, data)))


@bp.get("/tasks/<task_id>/draft")
@require("task.work", "task_id")
def get_draft(task_id: str):
    draft = task_draft(current_user(), task_id)
    if draft is None:
        raise NotFoundError("no draft of this task")
    return jsonify(_DRAFT_OUT.dump(draft))
