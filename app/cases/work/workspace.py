"""What the staff pages show in one read: a task with its form and case, a case with its history and diagram.

Both go through the one authorization policy (access.py for cases, tasks.get_task_for for tasks).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.extensions import db
from app.models import Attachment, Case, Notice, Task, TaskDraft

from .. import ledger, policy, records, reference
from ..intake.duplicates import Candidate, candidates_of_case
from ..intake.reviews import review_links
from ..lists import queries
from ..people.personal_data import petitioner_for
from ..people.petitioners import History, history_of_case
from ..policy import check_case_access
from ..procedures.bundles import form_for_task
from ..procedures.forms import fits
from ..procedures.processes import version_xml
from ..supervision.notices import case_notices
from ..uow.workflow import ready_task_data
from .attachments import case_attachments
from .record import RecordItem, work_record
from .tasks import can_work_on, get_task_for, offered_to

OPEN_NOTICE_STATES = ("open", "overdue")


@dataclass(frozen=True)
class TaskWorkspace:
    task: Task
    case: Case
    form: dict[str, Any] | None  # Form.describe(locale)
    departments: list[tuple[str, str]]  # (code, name) of active departments, for department fields
    notices: list[tuple[Notice, str]]  # open supervision notices of the case
    may_complete: bool
    draft: dict[str, Any] | None = None  # the user's saved draft of the form, if they may complete the task
    values: dict[str, Any] | None = None  # what the case's data holds for the form's fields (the form shows them)
    record: list[RecordItem] = field(default_factory=list)  # the work of the steps before this one
    rehandling: dict[str, Any] | None = None  # a re-handling: the earlier answer and the rating that sent it back
    replyable: frozenset[int] = frozenset()  # the open notices this user answers (addressed to them or their queue)
    repeat_candidates: list[Candidate] | None = None  # at triage: the open cases it may repeat (None: not at triage)
    offered_to: list[tuple[str, str]] = field(default_factory=list)  # (username, display name) the diagram names


@dataclass(frozen=True)
class CaseWorkspace:
    case: Case
    petitioner: dict[str, Any] | None
    open_tasks: list[Task]
    timeline: list[ledger.Entry]
    links: dict[str, Any]
    notices: list[tuple[Notice, str]]
    process: dict[str, Any] | None  # key, version, completed
    bpmn_xml: str | None
    current: list[str]  # BPMN ids of open tasks
    completed: list[str]  # BPMN ids of completed tasks, from the ledger
    attachments: list[Attachment] | None  # None: not for this user (policy action attachment.use)
    record: list[RecordItem] = field(default_factory=list)  # what every step submitted, oldest first
    replyable: frozenset[int] = frozenset()  # the open notices this user answers
    may: dict[str, bool] = field(default_factory=dict)  # object (退单), reroute, confidentiality: the policy, for this case
    departments: list[tuple[str, str]] = field(default_factory=list)  # (code, name) of active departments: re-routing
    petitioner_history: History | None = None  # the petitioner's cases this user may open, and counts of all


def task_workspace(user, task_id: str, locale: str) -> TaskWorkspace:
    """A task the user may see, its form in `locale`, its case and the case's open notices."""
    task = get_task_for(user, task_id)
    case = records.case_by_id(task.case_id)
    form = form_for_task(task)
    departments = sorted((d.code, d.name) for d in reference.departments().values() if d.active)
    mine = can_work_on(user, task) or task.assignee == user.username
    may_complete = mine and task.state in ("ready", "claimed") and task.assignee in (None, user.username)
    draft = db.session.get(TaskDraft, (task.id, user.username)) if may_complete else None
    data = ready_task_data(task.instance_id, task.id) if task.state in ("ready", "claimed") else {}
    rehandling = ({"answer": data.get("answer"), "score": data.get("satisfaction"),
                   "comment": data.get("satisfaction_comment")} if data.get("rehandled") else None)
    notices = _open_notices(case)
    values = form_values(task, form, data)
    suggested = getattr(reference.department_by_id(case.suggested_department_id), "code", None)
    if suggested and form and any(f.name == "department" for f in form.fields) and not values.get("department"):
        values = {**values, "department": suggested}  # the dispatch table's suggestion: accepted by submitting it
    at_triage = may_complete and case.status == "registered" and policy.may(user, "case.register")
    return TaskWorkspace(task, case, form.describe(locale) if form else None, departments, notices, may_complete,
                         draft.data if draft else None, values, work_record(user, case, locale),
                         rehandling, _replyable(user, notices),
                         candidates_of_case(user, case.number) if at_triage else None,
                         offered_to(task.id) if task.state in ("ready", "claimed") else [])


def form_values(task: Task, form, data: dict[str, Any] | None = None) -> dict[str, Any]:
    """The values the case's data holds for the fields of an open task's form (prefilled on its page, given by
    the API): what earlier steps decided, which a field left untouched keeps."""
    if form is None or task.state not in ("ready", "claimed"):
        return {}
    data = ready_task_data(task.instance_id, task.id) if data is None else data
    return {f.name: data[f.name] for f in form.fields if data.get(f.name) is not None and fits(f, data[f.name])}


def case_workspace(user, number: str, locale: str = "zh") -> CaseWorkspace:
    """A case the user may see: petitioner (masked per policy, an unmasked view logged), attachments, timeline,
    links, notices and diagram marks."""
    case = check_case_access(user, records.case_by_number(number))
    instance = queries.current_instance(case.id)
    open_tasks = queries.open_tasks_of_case(case.id)
    timeline = queries.timeline(case.id)
    process, xml = None, None
    if instance is not None:
        version = instance.process_version
        process = {"key": version.key, "version": version.version, "completed": instance.completed, "name": version.name}
        xml = version_xml(version.key, version.version)
    completed = [e.details.get("name") for e in timeline
                 if e.action == "task.completed" and e.details.get("name") and _of_instance(e, instance)]
    notices = case_notices(case)
    return CaseWorkspace(case, petitioner_for(user, case, "page"), open_tasks, timeline, review_links(case), notices,
                         process, xml, sorted({t.name for t in open_tasks if t.instance_id == getattr(instance, "id", None)}),
                         sorted(set(completed)),
                         case_attachments(case.id) if policy.may(user, "attachment.use", case) else None,
                         work_record(user, case, locale), _replyable(user, notices),
                         {"object": policy.may(user, "case.object", case), "reroute": policy.may(user, "case.reroute", case),
                          "confidentiality": policy.may(user, "case.confidentiality", case),
                          "appeal_counting": case.department_id is not None and policy.may(user, "stats.appeal", case)},
                         sorted((d.code, d.name) for d in reference.departments().values() if d.active),
                         history_of_case(user, case))


def _of_instance(entry: ledger.Entry, instance) -> bool:
    """Ledger entries of an earlier process of the case (before a reclassification) mark nothing on this diagram."""
    return instance is None or entry.at >= instance.created_at


def _replyable(user, notices: list[tuple[Notice, str]]) -> frozenset[int]:
    return frozenset(n.id for n, state in notices if state in OPEN_NOTICE_STATES and policy.may(user, "notice.reply", n))


def _open_notices(case: Case) -> list[tuple[Notice, str]]:
    return [(n, state) for n, state in case_notices(case) if state in OPEN_NOTICE_STATES]
